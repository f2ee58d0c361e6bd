import { ActivityTypes, TextFormatTypes, type Activity } from 'botbuilder';
import { cleanDisplayText } from '../text/display-text';

/**
 * A text reply that Teams shows as typed: textFormat "plain", so echoed user words and telemetry
 * (`[x](https://e.x)`, `<at>Alice</at>`, `**urgent**`) are never rendered as links, mentions or
 * formatting, and without the invisible characters that could disguise them.
 */
export function plainText(text: string): Partial<Activity> {
  return { type: ActivityTypes.Message, textFormat: TextFormatTypes.Plain, text: cleanDisplayText(text) };
}
