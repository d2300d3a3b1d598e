import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { ResetPasswordDocument } from '../../../../clients/generated/graphql';
import { FormErrors, type UserError } from '../../../shared/user-errors';
import { Field } from '../components/Field';
import { userErrors } from '../errors';
import { useSession } from '../session';

/** resetPassword spends the mailed code; every earlier token of the customer is refused from then on. */
export function ResetPassword() {
  const session = useSession();
  const { siteId } = session;
  const navigate = useNavigate();
  const location = useLocation();
  const given = (location.state as { code?: string } | null)?.code ?? new URLSearchParams(location.search).get('code') ?? '';
  const [token, setToken] = useState(given);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, reset] = useMutation(ResetPasswordDocument);

  async function submit() {
    const r = await reset({ siteId, token: token.trim(), password });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    const found = userErrors(r.data?.resetPassword.userErrors);
    setErrors(found);
    if (found.length || !r.data?.resetPassword.accepted) return;
    // A token issued before the reset is refused now: sign in again.
    session.setCustomerToken(null);
    void navigate(`/${siteId}/login`, { state: { reset: true } });
  }

  return (
    <>
      <h1>Choose a new password</h1>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FormErrors errors={errors} fields={['token', 'password']} />
        <Field
          label="Reset code"
          field="token"
          errors={errors}
          autoComplete="one-time-code"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <Field
          label="New password"
          field="password"
          errors={errors}
          type="password"
          autoComplete="new-password"
          hint="12 to 200 characters"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={state.fetching}>
          Change the password
        </button>
      </form>
    </>
  );
}
