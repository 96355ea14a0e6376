import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS, crmSchema, type CrmListSchema } from '../../src/crm/schema';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';

describe('provisioning the CRM lists through PnPjs', () => {
  let sandbox: CrmSandbox;
  beforeAll(async () => {
    sandbox = await startCrmSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('creates every list and column on the first run', async () => {
    const report = await provisionCrm(sandbox.sp);
    expect(report.problems).toEqual([]);
    expect(report.changed).toBe(true);
    for (const list of crmSchema) {
      const listReport = report.lists.find((l) => l.title === list.title);
      expect(listReport?.created).toBe(true);
      expect(listReport?.fieldsCreated).toEqual(list.fields.filter((f) => !f.builtIn).map((f) => f.internalName));
    }
    expect(sandbox.control.listTitles()).toEqual(expect.arrayContaining(crmSchema.map((l) => l.title)));

    const companies = sandbox.control.list(CRM_LISTS.companies);
    const exactId = companies.fields.find((f) => f.InternalName === 'ExactId');
    expect(exactId).toMatchObject({ Indexed: true, EnforceUniqueValues: true, Title: 'Exact ID', MaxLength: 255 });
    expect(companies.fields.find((f) => f.InternalName === 'CustomerStatus')?.Choices).toEqual([
      'Customer',
      'Prospect',
      'Suspect',
      'None',
    ]);
    const contacts = sandbox.control.list(CRM_LISTS.contacts);
    const lookup = contacts.fields.find((f) => f.InternalName === 'Company');
    expect(lookup?.TypeAsString).toBe('Lookup');
    expect(lookup?.LookupList?.replace(/[{}]/g, '').toLowerCase()).toBe(companies.Id.toLowerCase());
    expect(contacts.fields.find((f) => f.InternalName === 'ExactId')).toMatchObject({ Indexed: true, EnforceUniqueValues: true });
    expect(sandbox.control.list(CRM_LISTS.runLogs).BaseTemplate).toBe(101);
  });

  it('changes nothing on the second run and only reads', async () => {
    sandbox.control.resetCounts();
    const report = await provisionCrm(sandbox.sp);
    expect(report.changed).toBe(false);
    expect(report.problems).toEqual([]);
    for (const list of report.lists) {
      expect(list).toMatchObject({ created: false, fieldsCreated: [], fieldsChanged: [] });
    }
    const counts = sandbox.control.counts();
    expect(counts.total).toBeGreaterThan(0);
    expect(counts.byMethod).toEqual({ GET: counts.total });
    expect(counts.batchParts).toBe(0);
  });

  it('reports columns it cannot fix instead of changing them', async () => {
    const scores: CrmListSchema = {
      title: 'Scores',
      kind: 'list',
      description: 'test',
      fields: [
        { internalName: 'Score', title: 'Score', type: 'number' },
        { internalName: 'Region', title: 'Region', type: 'text' },
      ],
    };
    await sandbox.sp.web.lists.add('Scores', 'test', 100, false);
    const fields = sandbox.sp.web.lists.getByTitle('Scores').fields;
    await fields.addText('Score');
    await fields.addText('Area');
    await fields.getByInternalNameOrTitle('Area').update({ Title: 'Region' }, 'SP.FieldText');
    sandbox.control.resetCounts();
    const report = await provisionCrm(sandbox.sp, [scores]);
    expect(report.problems).toEqual([
      'Scores.Score: exists as Text, declared number; not changed',
      'Scores.Region: a column titled "Region" has internal name Area; rename it or remove it',
    ]);
    expect(report.changed).toBe(false);
    expect(sandbox.control.counts().byMethod).toEqual({ GET: sandbox.control.counts().total });
  });

  it('repairs a column whose index was dropped, and says so', async () => {
    const exactId = sandbox.control.list(CRM_LISTS.contacts).fields.find((f) => f.InternalName === 'ExactId');
    if (!exactId) throw new Error('ExactId missing');
    // Simulates an admin removing the index in list settings.
    exactId.EnforceUniqueValues = false;
    exactId.Indexed = false;
    const report = await provisionCrm(sandbox.sp);
    expect(report.changed).toBe(true);
    expect(report.lists.find((l) => l.title === CRM_LISTS.contacts)?.fieldsChanged).toEqual([
      { field: 'ExactId', changes: ['Indexed -> true', 'EnforceUniqueValues -> true'] },
    ]);
    expect(sandbox.control.list(CRM_LISTS.contacts).fields.find((f) => f.InternalName === 'ExactId')).toMatchObject({
      Indexed: true,
      EnforceUniqueValues: true,
    });
  });
});
