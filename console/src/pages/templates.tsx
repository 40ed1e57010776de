import { api } from '../api';
import { href } from '../router';
import type { TemplateInfo } from '../types';
import { ErrorNote, Page, useLoad } from '../ui';

export function Templates() {
  const list = useLoad(() => api<{ templates: TemplateInfo[] }>('/email/templates'), 'templates');
  return (
    <Page title="Templates">
      <ErrorNote error={list.error} />
      {list.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Channels</th>
              <th scope="col">Locales</th>
              <th scope="col">Variables</th>
            </tr>
          </thead>
          <tbody>
            {list.data.templates.map((template) => (
              <tr key={template.name}>
                <td>
                  <a href={href(`templates/${encodeURIComponent(template.name)}`)}>{template.name}</a>
                  {template.description && <div class="hint">{template.description}</div>}
                </td>
                <td>{template.channels.join(', ')}</td>
                <td>{template.locales.length ? template.locales.join(', ') : 'default only'}</td>
                <td>
                  {template.variables.map((variable) => `${variable.name}${variable.required ? '' : '?'}`).join(', ') || '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
