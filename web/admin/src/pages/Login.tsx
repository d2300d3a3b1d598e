// adminLogin: INVALID_CREDENTIALS and RATE_LIMITED come back as userErrors and are said in words.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { AdminLoginDocument } from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { asUserErrors, fieldProps } from '../errors';

const FIELDS = ['email', 'password'];

export function LoginPage({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [loginState, login] = useMutation(AdminLoginDocument);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await login({ email, password });
    const payload = r.data?.adminLogin;
    if (payload?.token) return onSignedIn(payload.token);
    setErrors(asUserErrors(payload?.userErrors));
  };

  const limited = errors.some((e) => e.code === 'RATE_LIMITED');
  const invalid = errors.some((e) => e.code === 'INVALID_CREDENTIALS');
  return (
    <main className="page login">
      <h1>Aegis admin</h1>
      <form className="stack card" onSubmit={(e) => void submit(e)} aria-label="Sign in">
        <h2>Sign in</h2>
        {limited && (
          <div className="form-errors" role="alert" data-code="RATE_LIMITED">
            <p>
              Too many sign-in attempts from here. Wait a few minutes before trying again; a correct password is refused too until then.
            </p>
          </div>
        )}
        {invalid && (
          <div className="form-errors" role="alert" data-code="INVALID_CREDENTIALS">
            <p>That email and password do not match an active admin account.</p>
          </div>
        )}
        <FormErrors errors={errors.filter((e) => e.code !== 'RATE_LIMITED' && e.code !== 'INVALID_CREDENTIALS')} fields={FIELDS} />
        <RequestError error={loginState.error} />
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            {...fieldProps(errors, 'email')}
          />
          <FieldError errors={errors} field="email" />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            {...fieldProps(errors, 'password')}
          />
          <FieldError errors={errors} field="password" />
        </label>
        <button type="submit" disabled={loginState.fetching}>
          Sign in
        </button>
      </form>
    </main>
  );
}
