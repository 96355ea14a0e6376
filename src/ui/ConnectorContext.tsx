import * as React from 'react';
import type { ConnectorServices } from '../services/types';

/**
 * Root components get their services and the person's locale from here, never by building a
 * client themselves: SPFx web parts, the sandbox workbench and the Teams host each fill it from the
 * one composition root.
 */
export interface ConnectorEnvironment {
  services: ConnectorServices;
  /** BCP 47, e.g. `nl-NL`: numbers and dates follow it. */
  locale: string;
  /** Where an admin manages the connection (links from "not connected" states). */
  adminPages?: { exactConnection?: string; importProfiles?: string };
}

const Context = React.createContext<ConnectorEnvironment | undefined>(undefined);

export function ConnectorProvider(props: { environment: ConnectorEnvironment; children?: React.ReactNode }): React.ReactElement {
  return <Context.Provider value={props.environment}>{props.children}</Context.Provider>;
}

export function useConnector(): ConnectorEnvironment {
  const value = React.useContext(Context);
  if (!value) throw new Error('A connector root component was rendered outside ConnectorProvider.');
  return value;
}

export const useServices = (): ConnectorServices => useConnector().services;
