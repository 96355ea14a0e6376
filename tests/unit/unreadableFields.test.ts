import { describe, expect, it } from 'vitest';
import { markUnreadable, unreadableFields } from '../../src/sync/model';
import { mapRecord } from '../../src/sync/plan/mapping';
import type { FieldMapping } from '../../src/sync/profile/profile';

/** A role-gated field Exact left out leaves its column alone; an empty one that was read empties it. */
describe('fields Exact does not let the user read', () => {
  const mappings: FieldMapping[] = [
    { target: 'Title', transform: { kind: 'trim', source: 'FullName' }, keepCrmEdits: false },
    { target: 'BirthDate', transform: { kind: 'date', source: 'BirthDate' }, keepCrmEdits: false },
  ];

  it('are left out of the mapped values, so the planner changes nothing there', () => {
    const record = markUnreadable({ ID: 'a', FullName: ' Sanne de Jong ', BirthDate: null }, ['BirthDate']);
    expect(unreadableFields(record)).toEqual(['BirthDate']);
    const mapped = mapRecord(record, mappings, new Map());
    expect(mapped.values).toEqual({ Title: 'Sanne de Jong' });
    expect(mapped.problems).toEqual([]);
  });

  it('a field that was read and is empty still empties its column', () => {
    const mapped = mapRecord({ ID: 'a', FullName: 'Sanne de Jong', BirthDate: null }, mappings, new Map());
    expect(mapped.values).toEqual({ Title: 'Sanne de Jong', BirthDate: null });
  });

  it('survives a copy of the record', () => {
    const copy = { ...markUnreadable({ ID: 'a', BirthDate: null }, ['BirthDate']) };
    expect(unreadableFields(copy)).toEqual(['BirthDate']);
  });
});
