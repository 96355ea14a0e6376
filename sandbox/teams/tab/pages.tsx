import * as React from 'react';
import { ExactConnectionPage } from '../../../src/webparts/exactConnection/components/ExactConnectionPage';
import { ImportProfilesPage } from '../../../src/webparts/importProfiles/components/ImportProfilesPage';
import type { TeamsTabId } from '../tabs';

/** The root components the tabs show: the same ones the web parts render. */
export const tabPages: Record<TeamsTabId, () => React.ReactElement> = {
  'exact-connection': () => <ExactConnectionPage />,
  'import-profiles': () => <ImportProfilesPage />,
};
