// Super admins: every site (sites), a new site (createSite), and the per-site AI advisory switch (setAiEnabled).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { CreateSiteDocument, SetAiEnabledDocument } from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Loading, NoAccess, when } from '../components';
import { asUserErrors, fieldProps } from '../errors';
import { isSuper, useSession } from '../session';
import { useVisibleSites, type SiteRow } from '../sites';

export function SitesPage() {
  const session = useSession();
  const { sites, result, refetch } = useVisibleSites();
  if (!isSuper(session)) return <NoAccess what="page" />;
  return (
    <>
      <h1>Sites</h1>
      {!result.data ? (
        <Loading fetching={result.fetching} error={result.error} />
      ) : sites.length === 0 ? (
        <p className="muted">No site yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Currency</th>
              <th>Created</th>
              <th>AI advisory</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <SiteRowView key={s.id} site={s} />
            ))}
          </tbody>
        </table>
      )}
      <CreateSite onCreated={refetch} />
    </>
  );
}

function SiteRowView({ site }: { site: SiteRow }) {
  const [state, setAi] = useMutation(SetAiEnabledDocument);
  const errors = asUserErrors(state.data?.setAiEnabled.userErrors);
  return (
    <tr>
      <td>
        <Link to={`/sites/${site.id}`}>{site.name}</Link>
        <div className="muted">
          <code>{site.id}</code>
        </div>
      </td>
      <td>{site.currency}</td>
      <td>{when(site.createdAt)}</td>
      <td>
        <label className="inline">
          <input
            type="checkbox"
            checked={site.aiEnabled}
            disabled={state.fetching}
            onChange={(e) => void setAi({ siteId: site.id, enabled: e.target.checked })}
            aria-describedby={`ai-note-${site.id}`}
          />
          {site.aiEnabled ? 'On' : 'Off'}
        </label>
        <span id={`ai-note-${site.id}`} className="visually-hidden">
          AI advisory of {site.name}
        </span>
        <FormErrors errors={errors} />
        <RequestError error={state.error} />
      </td>
    </tr>
  );
}

function CreateSite({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, create] = useMutation(CreateSiteDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ input: { name, currency } });
    const errs = asUserErrors(r.data?.createSite.userErrors);
    setErrors(errs);
    if (!errs.length && r.data?.createSite.site) {
      setName('');
      onCreated();
    }
  };
  return (
    <section className="card">
      <h2>New site</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['name', 'currency']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="New site">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} {...fieldProps(errors, 'name')} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          Currency (ISO code)
          <input
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            maxLength={3}
            {...fieldProps(errors, 'currency')}
          />
          <FieldError errors={errors} field="currency" />
        </label>
        <button type="submit" disabled={state.fetching}>
          Create site
        </button>
      </form>
    </section>
  );
}
