import { api, describe } from '../api';
import type { TemplateInfo } from '../types';
import { useLoad } from '../ui';
import type { TemplateData } from './template';

interface EmailPreview {
  subject: string;
  html: string;
  text: string;
  locale: string | null;
}

interface TextPreview {
  text: string;
  encoding: string;
  segments: number;
  locale: string | null;
}

interface Props {
  template: TemplateInfo;
  data: TemplateData;
  locale: string;
}

const body = ({ template, data, locale }: Props) => ({ template: template.name, data, ...(locale ? { locale } : {}) });

export function Preview(props: Props) {
  return (
    <section aria-labelledby="preview">
      <h2 id="preview">Preview</h2>
      {props.template.channels.includes('email') && <EmailPart {...props} />}
      {props.template.channels.includes('sms') && <TextPart {...props} />}
    </section>
  );
}

function EmailPart(props: Props) {
  const key = JSON.stringify(body(props));
  const preview = useLoad(() => api<EmailPreview>('/email/template/preview', { method: 'POST', body: body(props) }), key);
  if (preview.error) return <p role="status" class="error">{describe(preview.error)}</p>;
  if (!preview.data) return <p>Rendering…</p>;
  return (
    <>
      <p>
        <strong>Subject:</strong> {preview.data.subject}
      </p>
      {/*
        The mail's HTML in a sandbox without allow-scripts or allow-same-origin: no script runs in it,
        and as an opaque origin it cannot reach this page, its storage or the token. srcdoc, so the
        HTML is never parsed by this page.
      */}
      <iframe class="preview" title="HTML version" sandbox="" referrerpolicy="no-referrer" srcdoc={preview.data.html} />
      <h3>Text version</h3>
      <pre class="text-version">{preview.data.text}</pre>
    </>
  );
}

function TextPart(props: Props) {
  const key = JSON.stringify(body(props));
  const preview = useLoad(() => api<TextPreview>('/sms/template/preview', { method: 'POST', body: body(props) }), key);
  if (preview.error) return <p role="status" class="error">{describe(preview.error)}</p>;
  if (!preview.data) return <p>Rendering…</p>;
  return (
    <>
      <h3>SMS text</h3>
      <pre class="text-version">{preview.data.text}</pre>
      <p>
        {preview.data.segments} {preview.data.segments === 1 ? 'segment' : 'segments'} ({preview.data.encoding})
      </p>
    </>
  );
}
