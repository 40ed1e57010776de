import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { href } from '../router';
import type { TemplateInfo, TemplateVariable } from '../types';
import { ErrorNote, Page, useLoad } from '../ui';
import { Preview } from './template-preview';
import { SendTest } from './template-send';

export type TemplateData = Record<string, string | number>;

/** The form's strings as the API's data: numbers as numbers, blanks left out (so "required" says so). */
export function templateData(variables: TemplateVariable[], values: Record<string, string>): TemplateData {
  const data: TemplateData = {};
  for (const variable of variables) {
    const value = values[variable.name]?.trim() ?? '';
    if (value === '') continue;
    data[variable.name] = variable.type === 'number' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  return data;
}

/** The input for a variable's type; one object per type, as Preact's input typings want. */
function inputType(variable: TemplateVariable) {
  if (variable.type === 'number') return { type: 'number' as const, min: variable.min, max: variable.max, step: variable.integer ? 1 : 'any' };
  return variable.type === 'url' ? { type: 'url' as const } : { type: 'text' as const };
}

export function Template({ name }: { name: string }) {
  const list = useLoad(() => api<{ templates: TemplateInfo[] }>('/email/templates'), 'templates');
  const template = list.data?.templates.find((candidate) => candidate.name === name);
  return (
    <Page title={`Template ${name}`}>
      <p>
        <a href={href('templates')}>All templates</a>
      </p>
      <ErrorNote error={list.error} />
      {list.data && !template && <p role="alert">There is no template named {name}.</p>}
      {template && <TemplateWorkbench template={template} />}
    </Page>
  );
}

function TemplateWorkbench({ template }: { template: TemplateInfo }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [locale, setLocale] = useState('');
  const data = templateData(template.variables, values);
  // The preview follows the form, a moment after the typing stops.
  const [settled, setSettled] = useState({ data, locale });
  const key = JSON.stringify({ data, locale });
  useEffect(() => {
    const timer = setTimeout(() => setSettled({ data, locale }), 250);
    return () => clearTimeout(timer);
    // `key` is `data` and `locale` as one comparable value.
  }, [key]);

  return (
    <>
      {template.description && <p>{template.description}</p>}
      <form class="stack" aria-label="Template data" onSubmit={(event) => event.preventDefault()}>
        {template.locales.length > 0 && (
          <label>
            Locale
            <select value={locale} onChange={(event) => setLocale(event.currentTarget.value)}>
              <option value="">default</option>
              {template.locales.map((code) => <option value={code}>{code}</option>)}
            </select>
          </label>
        )}
        {template.variables.map((variable) => {
          const id = `variable-${variable.name}`;
          return (
            <div class="field" key={variable.name}>
              <label for={id}>
                {variable.name}
                {variable.required ? ' (required)' : ''}
              </label>
              <input
                id={id}
                name={variable.name}
                {...inputType(variable)}
                required={variable.required}
                aria-describedby={variable.description ? `${id}-hint` : undefined}
                value={values[variable.name] ?? ''}
                onInput={(event) => setValues({ ...values, [variable.name]: event.currentTarget.value })}
              />
              {variable.description && (
                <span class="hint" id={`${id}-hint`}>
                  {variable.description}
                </span>
              )}
            </div>
          );
        })}
      </form>
      <Preview template={template} data={settled.data} locale={settled.locale} />
      <SendTest template={template} data={data} locale={locale} />
    </>
  );
}
