import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSp, type SpHarness } from '../support/spEmulatorHelpers';

describe('document library files and folders', () => {
  let h: SpHarness;
  beforeAll(async () => {
    h = await startSp({ inMemory: true });
  });
  afterAll(async () => h.sandbox.close());

  it('uploads, lists, overwrites, reads and deletes files', async () => {
    await h.sp.web.lists.add('Exports', 'Run exports', 101);
    const root = h.sp.web.getFolderByServerRelativePath('/sites/crm/Exports');
    const added = await root.files.addUsingPath("run 1 o'clock.csv", 'Code;Name\n000042;Acme\n', { Overwrite: false });
    expect(added).toMatchObject({ Name: "run 1 o'clock.csv", ServerRelativeUrl: "/sites/crm/Exports/run 1 o'clock.csv", Length: '22' });
    await expect(root.files.addUsingPath("run 1 o'clock.csv", 'again')).rejects.toThrow(/already exists/);
    await root.files.addUsingPath("run 1 o'clock.csv", 'Code;Name\n', { Overwrite: true });

    const file = h.sp.web.getFileByServerRelativePath("/sites/crm/Exports/run 1 o'clock.csv");
    expect(await file.getText()).toBe('Code;Name\n');
    expect(await file.select('UIVersionLabel')()).toMatchObject({ UIVersionLabel: '2.0' });

    const folder = await root.folders.addUsingPath('2026');
    expect(folder).toMatchObject({ ServerRelativeUrl: '/sites/crm/Exports/2026', Name: '2026' });
    await h.sp.web.getFolderByServerRelativePath('Exports/2026').addSubFolderUsingPath('11');
    const nested = h.sp.web.getFolderByServerRelativePath('/sites/crm/Exports/2026/11');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await nested.files.addUsingPath('data.bin', bytes.buffer, { Overwrite: true });
    const back = new Uint8Array(await h.sp.web.getFileByServerRelativePath('/sites/crm/Exports/2026/11/data.bin').getBuffer());
    expect([...back]).toEqual([0, 1, 2, 250, 255]);

    expect((await root.files()).map((f: { Name: string }) => f.Name)).toEqual(["run 1 o'clock.csv"]);
    expect((await root.folders()).map((f: { Name: string }) => f.Name)).toEqual(['2026']);
    const items = await h.sp.web.lists.getByTitle('Exports').items.select('FileLeafRef', 'FileSystemObjectType')();
    expect(items.map((i: { FileLeafRef: string }) => i.FileLeafRef)).toEqual(["run 1 o'clock.csv", '2026', '11', 'data.bin']);

    await file.delete();
    await expect(file()).rejects.toMatchObject({ status: 404 });
    await expect(h.sp.web.getFileByServerRelativePath('/sites/crm/Exports/nope.txt').getText()).rejects.toMatchObject({ status: 404 });

    const plain = await fetch(`${h.siteUrl}/Exports/2026/11/data.bin`);
    expect([...new Uint8Array(await plain.arrayBuffer())]).toEqual([0, 1, 2, 250, 255]);
  });

  it('accepts the older Url-style calls and refuses writes without a form digest', async () => {
    const digest = ((await (await fetch(`${h.siteUrl}/_api/contextinfo`, { method: 'POST', headers: { accept: 'application/json' } })).json()) as {
      FormDigestValue: string; FormDigestTimeoutSeconds: number;
    });
    expect(digest.FormDigestValue).toMatch(/^0x[0-9A-F]+,/);
    expect(digest.FormDigestTimeoutSeconds).toBe(1800);
    const add = `${h.siteUrl}/_api/web/GetFolderByServerRelativeUrl('Shared%20Documents')/Files/add(url='old.txt',overwrite=true)`;
    const refused = await fetch(add, { method: 'POST', body: 'x' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ 'odata.error': { code: '-2130575251, Microsoft.SharePoint.SPException' } });
    const ok = await fetch(add, { method: 'POST', body: 'old style', headers: { 'X-RequestDigest': digest.FormDigestValue, accept: 'application/json' } });
    expect(ok.status).toBe(200);
    const text = await fetch(`${h.siteUrl}/_api/web/GetFileByServerRelativeUrl('/sites/crm/Shared%20Documents/old.txt')/$value`);
    expect(await text.text()).toBe('old style');
  });

  it('uses the site Documents library at Shared Documents', async () => {
    const docs = h.sp.web.lists.getByTitle('Documents');
    expect(await docs.select('EntityTypeName', 'ListItemEntityTypeFullName')()).toMatchObject({
      EntityTypeName: 'Shared_x0020_Documents', ListItemEntityTypeFullName: 'SP.Data.Shared_x0020_DocumentsItem',
    });
    await h.sp.web.getFolderByServerRelativePath('/sites/crm/Shared Documents').files.addUsingPath('a.txt', 'hello', { Overwrite: true });
    expect(await h.sp.web.getFileByServerRelativePath('/sites/crm/Shared Documents/a.txt').getText()).toBe('hello');
  });
});

describe('persistence', () => {
  it('keeps data across restarts under dataDir/sharepoint and resets by deleting it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sp-emulator-'));
    try {
      const first = await startSp({ dataDir });
      await first.sp.web.lists.add('Companies');
      await first.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Acme' });
      await first.control.flush();
      await first.sandbox.close();
      const saved = JSON.parse(await readFile(join(dataDir, 'sharepoint', 'site.json'), 'utf8')) as { lists: { Title: string }[] };
      expect(saved.lists.map((l) => l.Title)).toEqual(['Documents', 'Companies']);

      const second = await startSp({ dataDir });
      const items = await second.sp.web.lists.getByTitle('Companies').items.select('Title')();
      expect(items).toEqual([expect.objectContaining({ Title: 'Acme' })]);
      await second.control.reset();
      await expect(stat(join(dataDir, 'sharepoint', 'site.json'))).rejects.toThrow();
      expect(second.control.listTitles()).toEqual(['Documents']);
      await second.sandbox.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
