// Module boundaries of src/ (docs/architecture.md, "Module boundaries"), checked by `npm run lint`.
// Folder cycles (between the top-level folders of src/messaging) are checked by
// scripts/check-folder-cycles.mjs, because a rule here sees files or whole folder paths,
// not the top-level folders a cycle should be counted between.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file cycle makes load order matter and the two files one unit in disguise.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'providers-stay-below-channels',
      severity: 'error',
      comment:
        'Providers are the network edge: channels, logs and the queue use them, never the other way round. ' +
        'What both sides need (receipt type, limits) lives in common/.',
      from: { path: '^src/messaging/providers/' },
      to: { path: '^src/messaging/(channels|logs|queue)/' },
    },
    {
      name: 'common-imports-nothing-of-ours',
      severity: 'error',
      comment: 'common/ is the bottom layer every folder may use, so it may use only itself and packages.',
      from: { path: '^src/messaging/common/' },
      to: { path: '^src/', pathNot: '^src/messaging/common/' },
    },
    {
      name: 'config-only-from-entry-points',
      severity: 'error',
      comment:
        'src/config reads the environment of the standalone service; the library (src/messaging) gets ' +
        'its settings as options, so only the entry points next to src/config may import it.',
      from: { pathNot: '^src/(config/|[^/]+\\.ts$)' },
      to: { path: '^src/config/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Specs may reach across folders to set things up; the rules are about the shipped code.
    exclude: { path: '\\.spec\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: they tie folders together just as much.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
    },
  },
};
