import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ContentItemsDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { createSite } from '../support/flows';
import { auditActions, createItem, getItem, revise, sql } from './ops';

let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());

describe('content items and versions', () => {
  it('createContentItem makes version 1 (MANUAL); reviseContent appends the next and keeps the earlier ones', async () => {
    const siteId = await createSite(t);
    const created = await createItem(t, siteId, { slug: 'about-us', title: '  About us ', body: 'First body.' });
    expect(created.data!.createContentItem.userErrors).toEqual([]);
    const item = created.data!.createContentItem.contentItem!;
    expect(item).toMatchObject({ siteId, slug: 'about-us', title: 'About us' });
    expect(item.currentVersion).toMatchObject({
      number: 1,
      body: 'First body.',
      source: 'MANUAL',
      suggestionId: null,
      createdBy: 'admin:root@aegis.test',
    });
    expect(item.versions).toHaveLength(1);

    const revised = await revise(t, siteId, item.id, 'Second body.');
    expect(revised.data!.reviseContent.userErrors).toEqual([]);
    expect(revised.data!.reviseContent.contentItem!.currentVersion).toMatchObject({ number: 2, body: 'Second body.', source: 'MANUAL' });

    const read = (await getItem(t, siteId, item.id))!;
    expect(read.versions.map((v) => [v.number, v.body])).toEqual([
      [1, 'First body.'],
      [2, 'Second body.'],
    ]);
    const list = await t.op(ContentItemsDocument, { siteId }, { token: await t.superToken() });
    expect(list.data!.contentItems.map(({ id, currentVersion }) => ({ id, currentVersion: { number: currentVersion.number } }))).toEqual([
      { id: item.id, currentVersion: { number: 2 } },
    ]);

    const audit = (await auditActions(t, siteId)).filter((e) => e.entityId === item.id).map((e) => e.action);
    expect(audit).toEqual(['content.create', 'content.revise']);
  });

  it('refuses out-of-bounds input with VALIDATION and a taken slug with CONFLICT, writing nothing', async () => {
    const siteId = await createSite(t);
    const ok = { slug: 'home', title: 'Home', body: 'Welcome.' };
    const cases: [object, string[]][] = [
      [{ ...ok, slug: 'Home Page' }, ['input', 'slug']],
      [{ ...ok, slug: 'x'.repeat(201) }, ['input', 'slug']],
      [{ ...ok, slug: '' }, ['input', 'slug']],
      [{ ...ok, title: 't'.repeat(201) }, ['input', 'title']],
      [{ ...ok, body: 'b'.repeat(100_001) }, ['input', 'body']],
      [{ ...ok, body: '   ' }, ['input', 'body']],
    ];
    for (const [input, field] of cases) {
      const r = await createItem(t, siteId, input as typeof ok);
      expect(r.data!.createContentItem).toEqual({
        contentItem: null,
        userErrors: [expect.objectContaining({ code: 'VALIDATION', field })],
      });
    }
    expect((await sql(t, `select count(*)::int as n from content_items where site_id = $1`, [siteId]))[0].n).toBe(0);

    const atBounds = await createItem(t, siteId, { slug: 'a-1'.padEnd(200, '9'), title: 't'.repeat(200), body: 'b'.repeat(100_000) });
    expect(atBounds.data!.createContentItem.userErrors).toEqual([]);
    expect((await createItem(t, siteId, ok)).data!.createContentItem.userErrors).toEqual([]);
    const dup = await createItem(t, siteId, { ...ok, title: 'Other' });
    expect(dup.data!.createContentItem.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'slug'] })]);
    // The same slug on another site is another item.
    expect((await createItem(t, await createSite(t), ok)).data!.createContentItem.userErrors).toEqual([]);

    const itemId = (await sql(t, `select id from content_items where site_id = $1 and slug = 'home'`, [siteId]))[0].id;
    const tooLong = await revise(t, siteId, itemId, 'b'.repeat(100_001));
    expect(tooLong.data!.reviseContent.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['body'] })]);
    expect((await getItem(t, siteId, itemId))!.versions).toHaveLength(1);
  });

  it("answers another site's item exactly like a missing one", async () => {
    const siteA = await createSite(t);
    const siteB = await createSite(t);
    const itemA = (await createItem(t, siteA, { slug: 'secret', title: 'Secret', body: 'Only A.' })).data!.createContentItem.contentItem!
      .id;

    expect(await getItem(t, siteB, itemA)).toBeNull();
    expect(await getItem(t, siteB, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await getItem(t, siteB, 'not-a-uuid')).toBeNull();
    const foreign = await revise(t, siteB, itemA, 'Overwritten by B');
    const missing = await revise(t, siteB, '00000000-0000-4000-8000-000000000000', 'Overwritten by B');
    expect(foreign.data!.reviseContent).toEqual(missing.data!.reviseContent);
    expect(foreign.data!.reviseContent.userErrors[0].code).toBe('NOT_FOUND');
    expect((await getItem(t, siteA, itemA))!.versions).toHaveLength(1);
  });

  it('keeps versions append-only in the database, even for the owner', async () => {
    const siteId = await createSite(t);
    const id = (await createItem(t, siteId, { slug: 'fixed', title: 'Fixed', body: 'Original.' })).data!.createContentItem.contentItem!.id;
    await expect(sql(t, `update content_versions set body = 'tampered' where content_item_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(sql(t, `delete from content_versions where content_item_id = $1`, [id])).rejects.toThrow(/append-only/);
    expect((await getItem(t, siteId, id))!.currentVersion.body).toBe('Original.');
  });
});

describe('the AI Advisory Service boundary', () => {
  it('src/integrations/ai imports nothing from src/domain or src/entities', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'integrations', 'ai');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const specifiers = [...readFileSync(path.join(dir, file), 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
        (m) => m[1],
      );
      const reached = specifiers
        .filter((s) => s.startsWith('.'))
        .map((s) => path.relative(path.join(dir, '..', '..'), path.resolve(dir, s)));
      expect({ file, reached: reached.filter((r) => /^(domain|entities)(\/|$)/.test(r)) }).toEqual({ file, reached: [] });
    }
  });
});
