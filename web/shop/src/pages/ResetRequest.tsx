import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { RequestPasswordResetDocument } from '../../../../clients/generated/graphql';
import { FormErrors, type UserError } from '../../../shared/user-errors';
import { loadWebConfig } from '../../../shared/web-config';
import { Field } from '../components/Field';
import { userErrors } from '../errors';
import { useSession } from '../session';

/**
 * requestPasswordReset mails a single-use code. Outside production without SMTP the mail stays in the
 * development outbox: the page links to the shop's view of it.
 */
export function ResetRequest() {
  const { siteId } = useSession();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [production, setProduction] = useState(true);
  const [state, request] = useMutation(RequestPasswordResetDocument);

  useEffect(() => {
    loadWebConfig().then(
      (c) => setProduction(c.production),
      () => setProduction(true),
    );
  }, []);

  async function submit() {
    const r = await request({ siteId, email });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    const found = userErrors(r.data?.requestPasswordReset.userErrors);
    setErrors(found);
    if (!found.length) setSent(email.trim().toLowerCase());
  }

  return (
    <>
      <h1>Reset your password</h1>
      {sent ? (
        <div className="success" role="status">
          <p>If {sent} has an account here, a reset code is on its way to it (valid once, for 30 minutes).</p>
          {!production && (
            <p>
              This server keeps its mails in <Link to={`/${siteId}/outbox?to=${encodeURIComponent(sent)}`}>the development outbox</Link>.
            </p>
          )}
          <p>
            <Link to={`/${siteId}/reset/code`} state={{ email: sent }}>
              Enter the code
            </Link>
          </p>
        </div>
      ) : (
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <FormErrors errors={errors} fields={['email']} />
          <Field
            label="Email"
            field="email"
            errors={errors}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <button type="submit" disabled={state.fetching}>
            Send a reset code
          </button>
        </form>
      )}
    </>
  );
}
