/**
 * What the preview and the run log say of a record the CRM refused: the field problems in the
 * reader's language, and not the write's English message again beside them.
 */
import { describe, expect, it } from 'vitest';
import { fieldProblem } from '../../src/sync/journal/fieldProblems';
import type { RunEntry } from '../../src/sync/journal/records';
import { browserModule } from '../support/browserModule';

type EntryList = typeof import('../../src/webparts/importProfiles/components/EntryList');

const problem = fieldProblem('Title', 'textTooLong', 300, 255);
const refused: RunEntry = {
  exactKey: 'k1', label: 'Bakkerij Jansen', action: 'error', reason: { code: 'fieldProblems', args: [1] }, itemId: null, changes: [], kept: [],
  problems: [problem], outcome: 'failed', message: `create k1 in "Companies": Title: ${problem.reason}`,
};

describe('a refused record in the preview and the run log', () => {
  it.each(['en-us', 'nl-nl'] as const)('says the field problem in %s, once, without the English message', async (locale) => {
    const { describeReason } = await browserModule<EntryList>('src/webparts/importProfiles/components/EntryList.tsx', locale);
    const said = describeReason(refused);
    expect(said).toBe(locale === 'nl-nl'
      ? '1 veld kan niet in het CRM worden geschreven · Title: tekst te lang: 300 tekens, de kolom staat er 255 toe'
      : '1 field cannot be written to the CRM · Title: text too long: 300 characters, the column allows 255');
    // SharePoint's own refusal (no code) keeps its message: it is the only place its words are.
    const sharePoint = { ...refused, problems: [{ field: 'Title', reason: 'The value is too long.' }], message: 'create k1 in "Companies": The value is too long.' };
    expect(describeReason(sharePoint)).toContain(sharePoint.message);
  });
});
