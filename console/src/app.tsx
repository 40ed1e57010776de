import { useEffect, useState } from 'preact/hooks';
import { whenUnauthorized } from './api';
import { Activity } from './pages/activity';
import { Health } from './pages/health';
import { Message } from './pages/message';
import { Suppressions } from './pages/suppressions';
import { Template } from './pages/template';
import { Templates } from './pages/templates';
import { href, useRoute, type Route } from './router';
import { forgetToken, storedToken } from './session';
import { SignIn } from './sign-in';

const NAVIGATION: Array<{ page: Route['page']; label: string; also?: Route['page'] }> = [
  { page: 'activity', label: 'Activity', also: 'message' },
  { page: 'templates', label: 'Templates', also: 'template' },
  { page: 'health', label: 'Health' },
  { page: 'suppressions', label: 'Suppressions' },
];

export function App() {
  const [signedIn, setSignedIn] = useState(() => storedToken() !== null);
  const [reason, setReason] = useState<string | undefined>(undefined);
  useEffect(() => {
    whenUnauthorized((message) => {
      setReason(message);
      setSignedIn(false);
    });
  }, []);
  if (!signedIn) {
    return (
      <SignIn
        reason={reason}
        signedIn={() => {
          setReason(undefined);
          setSignedIn(true);
        }}
      />
    );
  }
  const signOut = () => {
    forgetToken();
    setReason(undefined);
    setSignedIn(false);
  };
  return <Shell signOut={signOut} />;
}

function Shell({ signOut }: { signOut: () => void }) {
  const route = useRoute();
  // On each navigation the new page's heading takes the focus (it is tabindex=-1), as a page load would.
  const where = `${route.page}/${route.id ?? ''}`;
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [where]);
  return (
    <>
      <a class="skip-link" href="#main" onClick={(event) => {
        event.preventDefault();
        document.querySelector<HTMLElement>('main h1')?.focus();
      }}>
        Skip to content
      </a>
      <header>
        <span class="brand">Messaging console</span>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.page}>
                <a href={href(item.page)} aria-current={route.page === item.page || route.page === item.also ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        <CurrentPage route={route} />
      </main>
    </>
  );
}

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'message':
      return <Message id={route.id ?? ''} key={route.id} />;
    case 'templates':
      return <Templates />;
    case 'template':
      return <Template name={route.id ?? ''} key={route.id} />;
    case 'health':
      return <Health />;
    case 'suppressions':
      return <Suppressions />;
    case 'activity':
      // Keyed by the filters: new filters start a new list (and paging) from the top.
      return <Activity route={route} key={route.params.toString()} />;
  }
}
