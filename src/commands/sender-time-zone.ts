/** The parts of an incoming activity that carry the sender's time zone (Bot Framework schema, no SDK import). */
export interface TimeZoneCarrier {
  localTimezone?: string;
  entities?: ReadonlyArray<{ type?: string; [key: string]: unknown }>;
}

/**
 * The sender's time zone as their Teams client reports it: `activity.localTimezone`, else the `timezone`
 * of the clientInfo entity. Returned unchecked (but bounded); the window parser accepts only names Intl knows.
 */
export function senderTimeZone(activity: TimeZoneCarrier): string | undefined {
  const fromEntity = activity.entities?.find((entity) => entity?.type === 'clientInfo')?.timezone;
  const zone = [activity.localTimezone, fromEntity].find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return zone && zone.length <= 64 ? zone.trim() : undefined;
}
