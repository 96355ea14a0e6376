import { createTheme, type ITheme, type IPartialTheme } from '@fluentui/react/lib/Styling';

/**
 * The themes a root component can be drawn in. On SharePoint the web part passes the section's
 * theme variant (SPFx ThemeProvider); in Teams and the workbench the host names one of these.
 */
export type ThemeName = 'light' | 'dark' | 'contrast';

const light: IPartialTheme = {
  palette: {
    themePrimary: '#0f6cbd',
    themeLighterAlt: '#f3f8fc',
    themeLighter: '#d0e4f5',
    themeLight: '#a9cdec',
    themeTertiary: '#5da0d9',
    themeSecondary: '#237cc7',
    themeDarkAlt: '#0e61aa',
    themeDark: '#0c528f',
    themeDarker: '#093c6a',
    neutralLighterAlt: '#faf9f8',
    neutralLighter: '#f3f2f1',
    neutralLight: '#edebe9',
    neutralQuaternaryAlt: '#e1dfdd',
    neutralQuaternary: '#d0d0d0',
    neutralTertiaryAlt: '#c8c6c4',
    neutralTertiary: '#a19f9d',
    neutralSecondary: '#605e5c',
    neutralPrimaryAlt: '#3b3a39',
    neutralPrimary: '#323130',
    neutralDark: '#201f1e',
    black: '#000000',
    white: '#ffffff',
  },
};

const dark: IPartialTheme = {
  isInverted: true,
  palette: {
    themePrimary: '#62abf5',
    themeLighterAlt: '#04070a',
    themeLighter: '#101b27',
    themeLight: '#1d3349',
    themeTertiary: '#3a6692',
    themeSecondary: '#5596d7',
    themeDarkAlt: '#71b3f6',
    themeDark: '#86bef7',
    themeDarker: '#a4cef9',
    neutralLighterAlt: '#292827',
    neutralLighter: '#323130',
    neutralLight: '#3b3a39',
    neutralQuaternaryAlt: '#484644',
    neutralQuaternary: '#605e5c',
    neutralTertiaryAlt: '#797775',
    neutralTertiary: '#a19f9d',
    neutralSecondary: '#c8c6c4',
    neutralPrimaryAlt: '#e1dfdd',
    neutralPrimary: '#f3f2f1',
    neutralDark: '#faf9f8',
    black: '#ffffff',
    white: '#1f1f1f',
  },
};

const contrast: IPartialTheme = {
  isInverted: true,
  palette: {
    themePrimary: '#ffff00',
    themeLighterAlt: '#000000',
    themeLighter: '#1a1a00',
    themeLight: '#333300',
    themeTertiary: '#999900',
    themeSecondary: '#e6e600',
    themeDarkAlt: '#ffff33',
    themeDark: '#ffff66',
    themeDarker: '#ffff99',
    neutralLighterAlt: '#0a0a0a',
    neutralLighter: '#141414',
    neutralLight: '#1f1f1f',
    neutralQuaternaryAlt: '#2e2e2e',
    neutralQuaternary: '#ffffff',
    neutralTertiaryAlt: '#ffffff',
    neutralTertiary: '#ffffff',
    neutralSecondary: '#ffffff',
    neutralPrimaryAlt: '#ffffff',
    neutralPrimary: '#ffffff',
    neutralDark: '#ffffff',
    black: '#ffffff',
    white: '#000000',
  },
  semanticColors: {
    bodyBackground: '#000000',
    bodyText: '#ffffff',
    link: '#ffff00',
    linkHovered: '#ffff00',
    buttonBorder: '#ffffff',
    inputBorder: '#ffffff',
    errorText: '#ff8080',
    messageText: '#ffffff',
    successIcon: '#3ff23f',
  },
};

const named: Record<ThemeName, IPartialTheme> = { light, dark, contrast };

export function namedTheme(name: ThemeName): ITheme {
  return createTheme(named[name]);
}

/** An SPFx theme variant (section background) is a partial Fluent theme; fill the gaps. */
export function themeFromVariant(variant: IPartialTheme | undefined): ITheme {
  return createTheme(variant ?? light);
}
