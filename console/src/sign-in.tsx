import { useEffect, useRef, useState } from 'preact/hooks';
import { storeToken } from './session';

/** The token form: the console's only way in. `reason` is the API's message after a 401. */
export function SignIn({ reason, signedIn }: { reason?: string; signedIn: () => void }) {
  const [token, setToken] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Messaging console';
    field.current?.focus();
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    if (!token.trim()) return;
    storeToken(token);
    signedIn();
  };
  return (
    <main id="main" class="sign-in">
      <h1>Messaging console</h1>
      {reason && (
        <p class="error" role="alert">
          Signed out: {reason}
        </p>
      )}
      <form onSubmit={submit}>
        <label for="token">Bearer token</label>
        <textarea id="token" ref={field} rows={4} required spellcheck={false} autocomplete="off" value={token} onInput={(event) => setToken(event.currentTarget.value)} />
        <p class="hint">
          A JWT for this service (<code>npm run -s token -- --sub you --scope messaging:admin</code>). It is kept in this tab only
          (sessionStorage) and sent to this service's API only.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
