declare interface IScheduleStrings {
  SectionTitle: string;
  Intro: string;
  SaveFirst: string;
  Loading: string;
  LoadFailed: string;
  FieldCadence: string;
  CadenceOff: string;
  CadenceMinutes: string;
  CadenceHourly: string;
  CadenceDaily: string;
  FieldMinutes: string;
  MinutesHelp: string;
  FieldDailyAt: string;
  FieldOfficeHours: string;
  FieldFrom: string;
  FieldTo: string;
  FieldDays: string;
  Days: string;
  FieldRunOnChanges: string;
  RunOnChangesHelp: string;
  RunOnChangesNotForSource: string;
  TimeZoneNote: string;
  Save: string;
  Saving: string;
  Saved: string;
  SaveFailed: string;
  NextRunAt: string;
  NoNextRun: string;
  PausedAll: string;
  LastResult: string;
  NoResultYet: string;
  OutcomeFinished: string;
  OutcomeFailed: string;
  OutcomeBusy: string;
  TriggerSchedule: string;
  TriggerExactChange: string;
  TriggerPerson: string;
  Attention: string;
  RunningNow: string;
  BadTime: string;
  WindowOrder: string;
  NoDays: string;
  HealthTitle: string;
  HealthNone: string;
  HealthNoSchedules: string;
  HealthProblem: string;
  PauseAll: string;
  TeamsWebhook: string;
  TeamsWebhookSet: string;
  TeamsSave: string;
  TeamsClear: string;
  SettingsFailed: string;
}

declare module 'ScheduleStrings' {
  const strings: IScheduleStrings;
  export = strings;
}
