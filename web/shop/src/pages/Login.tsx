import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { CustomerLoginDocument } from '../../../../clients/generated/graphql';
import { FormErrors, type UserError } from '../../../shared/user-errors';
import { Field } from '../components/Field';
import { userErrors } from '../errors';
import { useSession } from '../session';

/**
 * customerLogin. The client sends the guest's X-Cart-Token with it, so the API takes the guest cart over (merged
 * into the customer's open cart, or adopted when there is none). From then on the customer token finds the cart on
 * any device: the guest token is dropped (a merged cart's token stops working anyway).
 */
export function Login() {
  const session = useSession();
  const { siteId } = session;
  const navigate = useNavigate();
  const location = useLocation();
  const flash = location.state as { signedUp?: string; reset?: boolean } | null;
  const [email, setEmail] = useState(flash?.signedUp ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, login] = useMutation(CustomerLoginDocument);

  async function submit() {
    const r = await login({ siteId, email, password });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    const payload = r.data!.customerLogin;
    const found = userErrors(payload.userErrors);
    setErrors(found);
    if (found.length || !payload.token) return;
    session.setCartToken(null);
    session.setCustomerToken(payload.token);
    const carried = payload.cart?.state === 'DRAFT' && payload.cart.lines.length > 0;
    void navigate(carried ? `/${siteId}/cart` : `/${siteId}/account`);
  }

  return (
    <>
      <h1>Sign in</h1>
      {flash?.signedUp && <p className="success">Your account is ready: sign in with {flash.signedUp}.</p>}
      {flash?.reset && <p className="success">Your password is changed: sign in with the new one.</p>}
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FormErrors errors={errors} fields={['email', 'password']} />
        <Field
          label="Email"
          field="email"
          errors={errors}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          field="password"
          errors={errors}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={state.fetching}>
          Sign in
        </button>
      </form>
      <p>
        New here? <Link to={`/${siteId}/signup`}>Create an account</Link>. Forgot your password?{' '}
        <Link to={`/${siteId}/reset`}>Reset it</Link>.
      </p>
    </>
  );
}
