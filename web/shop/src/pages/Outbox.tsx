import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../session';

interface Mail {
  to: string;
  subject: string;
  text: string;
  kind: string;
}

/** The reset mail's code: the line of its own after "valid once for N minutes:" (src/domain/identity/customer-mail.ts). */
const resetCode = (m: Mail) => (m.kind === 'customer.passwordReset' ? (/minutes:\n\n(\S+)\n/.exec(m.text)?.[1] ?? null) : null);

/**
 * The development outbox (GET /dev/outbox?to=<email>): the mails a server without SMTP kept, newest first, so a
 * password reset can be followed by hand. Only outside production, and only for a browser on the server's machine.
 */
export function Outbox() {
  const { siteId } = useSession();
  const [params] = useSearchParams();
  const to = params.get('to') ?? '';
  const [mails, setMails] = useState<Mail[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    fetch(`/dev/outbox${to ? `?to=${encodeURIComponent(to)}` : ''}`)
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as { messages?: Mail[]; error?: string } | null;
        if (!res.ok || !body?.messages) throw new Error(body?.error ?? `the development outbox is not served here (HTTP ${res.status})`);
        if (!cancelled) setMails(body.messages);
      })
      .catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [to]);

  return (
    <>
      <h1>The development outbox</h1>
      <p className="muted">
        Mails this server would have sent{to && <> to {to}</>}, newest first. Servers with SMTP_URL send them instead, and production never
        shows them.
      </p>
      {error && (
        <p className="form-errors" role="alert">
          {error}
        </p>
      )}
      {mails && !mails.length && <p>No mail{to && <> to {to}</>} yet.</p>}
      {mails?.map((m, i) => {
        const code = resetCode(m);
        return (
          <article key={i} className="card mail" data-kind={m.kind}>
            <h2>{m.subject}</h2>
            <p className="muted">To: {m.to}</p>
            <pre className="mail-text">{m.text}</pre>
            {code && (
              <p>
                <Link to={`/${siteId}/reset/code`} state={{ code }}>
                  Use this reset code
                </Link>
              </p>
            )}
          </article>
        );
      })}
    </>
  );
}
