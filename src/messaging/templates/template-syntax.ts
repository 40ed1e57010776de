// Loads Handlebars' declarations, which put the AST types in the global `hbs` namespace.
import type {} from 'handlebars';
import type { TemplateDefinitionError } from './template-manifest.js';

type AstNode = hbs.AST.Node;
type Program = hbs.AST.Program;

/** What a template file may do beyond printing declared variables. */
export interface SyntaxRules {
  /** Partials it may include (`{{> name key=value}}`). */
  partials: ReadonlySet<string>;
  /** Variables it may print unescaped with `{{{name}}}`: only `body` in a layout. */
  unescaped: ReadonlySet<string>;
}

/** Block helpers a template may use; they do not change the context, so variables stay top-level. */
const BLOCK_HELPERS = new Set(['if', 'unless']);
const LITERALS = new Set(['StringLiteral', 'NumberLiteral', 'BooleanLiteral']);

/**
 * Walks a parsed template and returns the variables it reads. Templates keep
 * to a small, checkable subset of Handlebars: `{{name}}`, `{{#if name}}` /
 * `{{#unless name}}` with `{{else}}`, and `{{> partial key=name key="text"}}`.
 * Unescaped output, other helpers, nested paths and dynamic partials are
 * refused, so every piece of data is HTML-escaped and every variable a
 * template reads is known before the first send.
 *
 * @param fail builds the error for a problem at a line
 */
export function collectVariables(
  program: Program,
  rules: SyntaxRules,
  fail: (problem: string, line: number) => TemplateDefinitionError,
): Set<string> {
  const collector = new VariableCollector(rules, fail);
  collector.visitProgram(program);
  return collector.variables;
}

class VariableCollector {
  readonly variables = new Set<string>();

  constructor(
    private readonly rules: SyntaxRules,
    private readonly fail: (problem: string, line: number) => TemplateDefinitionError,
  ) {}

  visitProgram(node: Program): void {
    for (const statement of node.body) this.visitStatement(statement);
  }

  private visitStatement(node: hbs.AST.Statement): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.visitMustache(node as hbs.AST.MustacheStatement);
      case 'BlockStatement':
        return this.visitBlock(node as hbs.AST.BlockStatement);
      case 'PartialStatement':
        return this.visitPartial(node as hbs.AST.PartialStatement);
      default:
        this.reject(node, `${node.type} is not supported`);
    }
  }

  private visitMustache(node: hbs.AST.MustacheStatement): void {
    if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) this.reject(node, 'helpers are not supported');
    const name = this.variableOf(node.path);
    if (!node.escaped && !this.rules.unescaped.has(name)) {
      this.reject(node, `{{{${name}}}} would print data unescaped; use {{${name}}}`);
    }
  }

  private visitBlock(node: hbs.AST.BlockStatement): void {
    const helper = node.path.original;
    if (!BLOCK_HELPERS.has(helper)) this.reject(node, `{{#${helper}}} is not supported (only #if and #unless)`);
    const [condition] = node.params;
    if (node.params.length !== 1 || !condition || (node.hash?.pairs.length ?? 0) > 0) {
      this.reject(node, `{{#${helper}}} takes one variable`);
    }
    this.variableOf(condition);
    this.visitProgram(node.program);
    if (node.inverse) this.visitProgram(node.inverse);
  }

  private visitPartial(node: hbs.AST.PartialStatement): void {
    if (node.name.type !== 'PathExpression') return this.reject(node, 'dynamic partials are not supported');
    const partial = (node.name).original;
    if (!this.rules.partials.has(partial)) this.reject(node, `unknown partial "${partial}"`);
    if (node.params.length > 0) this.reject(node, `pass data to partial "${partial}" as key=value pairs only`);
    for (const pair of node.hash?.pairs ?? []) {
      if (!LITERALS.has(pair.value.type)) this.variableOf(pair.value);
    }
  }

  /** The single top-level variable an expression names (recorded), or a rejection. */
  private variableOf(node: hbs.AST.Expression): string {
    if (node.type !== 'PathExpression') return this.reject(node, 'expected a variable name');
    const path = node as hbs.AST.PathExpression;
    const [name] = path.parts;
    if (path.data || path.depth > 0 || path.parts.length !== 1 || !name || path.original === 'this') {
      return this.reject(node, `"${path.original}" is not a plain variable name`);
    }
    this.variables.add(name);
    return name;
  }

  private reject(node: AstNode, problem: string): never {
    throw this.fail(problem, node.loc?.start.line ?? 0);
  }
}
