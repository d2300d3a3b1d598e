// Super admins: every admin (admins), a new site admin (createSiteAdmin), its grants (setAdminSites) and
// disabling it (setAdminDisabled: its tokens are refused from then on).
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ConsoleAdminsDocument,
  CreateSiteAdminDocument,
  SetAdminDisabledDocument,
  SetAdminSitesDocument,
  type ConsoleAdminsQuery,
} from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Loading, NoAccess } from '../components';
import { asUserErrors, fieldProps } from '../errors';
import { isSuper, useSession } from '../session';
import { useVisibleSites, type SiteRow } from '../sites';

type AdminRow = ConsoleAdminsQuery['admins']['edges'][number]['node'];

export function AdminsPage() {
  const session = useSession();
  const [r, refetch] = useQuery({ query: ConsoleAdminsDocument, variables: { first: 100 }, pause: !isSuper(session) });
  const { sites } = useVisibleSites();
  if (!isSuper(session)) return <NoAccess what="page" />;
  const admins = r.data?.admins.edges.map((e) => e.node);
  return (
    <>
      <h1>Admins</h1>
      {!admins ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Sites</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {admins.map((a) => (
              <AdminRowView key={a.id} admin={a} sites={sites} self={a.id === session.me.id} />
            ))}
          </tbody>
        </table>
      )}
      <CreateSiteAdmin sites={sites} onCreated={() => refetch({ requestPolicy: 'network-only' })} />
    </>
  );
}

function SiteChecks({
  sites,
  chosen,
  onChange,
  legend,
}: {
  sites: SiteRow[];
  chosen: string[];
  onChange: (ids: string[]) => void;
  legend: string;
}) {
  return (
    <fieldset className="site-checks">
      <legend>{legend}</legend>
      {sites.map((s) => (
        <label key={s.id} className="inline">
          <input
            type="checkbox"
            checked={chosen.includes(s.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, s.id] : chosen.filter((id) => id !== s.id))}
          />
          {s.name}
        </label>
      ))}
    </fieldset>
  );
}

function AdminRowView({ admin, sites, self }: { admin: AdminRow; sites: SiteRow[]; self: boolean }) {
  const [chosen, setChosen] = useState(admin.siteIds);
  const [grantState, grant] = useMutation(SetAdminSitesDocument);
  const [disableState, disable] = useMutation(SetAdminDisabledDocument);
  const errors = [
    ...asUserErrors(grantState.data?.setAdminSites.userErrors),
    ...asUserErrors(disableState.data?.setAdminDisabled.userErrors),
  ];
  const changed = [...chosen].sort().join() !== [...admin.siteIds].sort().join();
  const name = (id: string) => sites.find((s) => s.id === id)?.name ?? id;
  return (
    <tr data-testid={`admin-${admin.email}`}>
      <td>{admin.email}</td>
      <td>{admin.role === 'SUPER_ADMIN' ? 'Super admin' : 'Site admin'}</td>
      <td>
        {admin.role === 'SUPER_ADMIN' ? (
          <span className="muted">every site</span>
        ) : (
          <>
            <SiteChecks sites={sites} chosen={chosen} onChange={setChosen} legend={`Sites of ${admin.email}`} />
            {changed && (
              <button type="button" disabled={grantState.fetching} onClick={() => void grant({ adminId: admin.id, siteIds: chosen })}>
                Save grants
              </button>
            )}
            {!changed && admin.siteIds.length === 0 && <span className="muted">no site granted</span>}
            <span className="visually-hidden">{admin.siteIds.map(name).join(', ')}</span>
          </>
        )}
        <FormErrors errors={errors} />
        <RequestError error={grantState.error ?? disableState.error} />
      </td>
      <td>
        {admin.disabled ? <span className="badge danger">disabled</span> : <span className="badge ok">active</span>}{' '}
        {!self && (
          <button
            type="button"
            className={admin.disabled ? 'secondary' : 'danger'}
            disabled={disableState.fetching}
            onClick={() => void disable({ adminId: admin.id, disabled: !admin.disabled })}
          >
            {admin.disabled ? 'Enable' : 'Disable'}
          </button>
        )}
      </td>
    </tr>
  );
}

function CreateSiteAdmin({ sites, onCreated }: { sites: SiteRow[]; onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, create] = useMutation(CreateSiteAdminDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ input: { email, password, siteIds } });
    const errs = asUserErrors(r.data?.createSiteAdmin.userErrors);
    setErrors(errs);
    if (!errs.length && r.data?.createSiteAdmin.admin) {
      setEmail('');
      setPassword('');
      setSiteIds([]);
      onCreated();
    }
  };
  return (
    <section className="card">
      <h2>New site admin</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['email', 'password', 'siteIds']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="New site admin">
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} {...fieldProps(errors, 'email')} />
          <FieldError errors={errors} field="email" />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            {...fieldProps(errors, 'password')}
          />
          <FieldError errors={errors} field="password" />
        </label>
        <SiteChecks sites={sites} chosen={siteIds} onChange={setSiteIds} legend="Sites it may administer" />
        <FieldError errors={errors} field="siteIds" />
        <button type="submit" disabled={state.fetching}>
          Create site admin
        </button>
      </form>
    </section>
  );
}
