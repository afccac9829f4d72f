/** A setting the hub cannot start with; the message names the setting and its value, on one line. */
export class SettingError extends Error {
  readonly code = 'SETTING_INVALID';
}
