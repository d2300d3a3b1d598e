import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { CustomerSignUpDocument } from '../../../../clients/generated/graphql';
import { FormErrors, type UserError } from '../../../shared/user-errors';
import { Field } from '../components/Field';
import { userErrors } from '../errors';
import { useSession } from '../session';

const FIELDS = ['input.email', 'input.password', 'input.name'];

/** customerSignUp never returns a token (it answers alike for a known address): the customer then signs in. */
export function SignUp() {
  const { siteId } = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, signUp] = useMutation(CustomerSignUpDocument);

  async function submit() {
    const r = await signUp({ siteId, input: { email: form.email, password: form.password, name: form.name || null } });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    const found = userErrors(r.data?.customerSignUp.userErrors);
    setErrors(found);
    if (!found.length && r.data?.customerSignUp.accepted) void navigate(`/${siteId}/login`, { state: { signedUp: form.email } });
  }

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <h1>Create an account</h1>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FormErrors errors={errors} fields={FIELDS} />
        <Field label="Name (optional)" field="input.name" errors={errors} autoComplete="name" value={form.name} onChange={set('name')} />
        <Field
          label="Email"
          field="input.email"
          errors={errors}
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
        />
        <Field
          label="Password"
          field="input.password"
          errors={errors}
          type="password"
          autoComplete="new-password"
          hint="12 to 200 characters"
          value={form.password}
          onChange={set('password')}
        />
        <button type="submit" disabled={state.fetching}>
          Create the account
        </button>
      </form>
      <p>
        Already have one? <Link to={`/${siteId}/login`}>Sign in</Link>.
      </p>
    </>
  );
}
