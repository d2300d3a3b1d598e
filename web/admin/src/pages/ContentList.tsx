// contentItems(siteId) and createContentItem.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ContentItemsDocument, CreateContentItemDocument } from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Loading, when } from '../components';
import { asUserErrors, fieldProps } from '../errors';
import { useSite } from '../Layout';

const FIELDS = ['slug', 'title', 'body'];

export function ContentListPage() {
  const site = useSite();
  const [r, refetch] = useQuery({ query: ContentItemsDocument, variables: { siteId: site.id } });
  const [createState, create] = useMutation(CreateContentItemDocument);
  const [input, setInput] = useState({ slug: '', title: '', body: '' });
  const [errors, setErrors] = useState<UserError[]>([]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await create({ siteId: site.id, input });
    const errs = asUserErrors(res.data?.createContentItem.userErrors);
    setErrors(errs);
    if (!errs.length && res.data?.createContentItem.contentItem) {
      setInput({ slug: '', title: '', body: '' });
      refetch({ requestPolicy: 'network-only' });
    }
  };
  const field = (name: 'slug' | 'title', label: string) => (
    <label>
      {label}
      <input value={input[name]} onChange={(e) => setInput({ ...input, [name]: e.target.value })} {...fieldProps(errors, name)} />
      <FieldError errors={errors} field={name} />
    </label>
  );
  return (
    <>
      <h1>Content of {site.name}</h1>
      {!r.data ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : r.data.contentItems.length === 0 ? (
        <p className="muted">No content yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Title</th>
              <th>Slug</th>
              <th>Version</th>
              <th>Last change</th>
            </tr>
          </thead>
          <tbody>
            {r.data.contentItems.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/sites/${site.id}/content/${c.id}`}>{c.title}</Link>
                </td>
                <td>
                  <code>{c.slug}</code>
                </td>
                <td>
                  v{c.currentVersion.number}{' '}
                  <span className="muted">({c.currentVersion.source === 'AI_SUGGESTION' ? 'AI suggestion' : 'manual'})</span>
                </td>
                <td>{when(c.currentVersion.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card">
        <h2>New content item</h2>
        <RequestError error={createState.error} />
        <FormErrors errors={errors} fields={FIELDS} />
        <form className="stack" onSubmit={(e) => void submit(e)} aria-label="New content item">
          {field('title', 'Title')}
          {field('slug', 'Slug')}
          <label>
            Body
            <textarea value={input.body} onChange={(e) => setInput({ ...input, body: e.target.value })} {...fieldProps(errors, 'body')} />
            <FieldError errors={errors} field="body" />
          </label>
          <button type="submit" disabled={createState.fetching}>
            Create
          </button>
        </form>
      </section>
    </>
  );
}
