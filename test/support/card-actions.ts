/** An Adaptive Card as the bot sent it. */
export type Card = Record<string, unknown>;

/** The data of every Action.Execute with this verb on the card, in card order. */
export function actionsOn(card: Card | undefined, verb: string): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Execute' && record.verb === verb) found.push((record.data ?? {}) as Record<string, unknown>);
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return found;
}

/** The data of the verb's action (on the device's row when one is named); throws when the card has none. */
export function actionData(card: Card | undefined, verb: string, deviceId?: string): Record<string, unknown> {
  const match = actionsOn(card, verb).find((data) => deviceId === undefined || data.deviceId === deviceId);
  if (!match) throw new Error(`no ${verb} action${deviceId ? ` for ${deviceId}` : ''} on the card`);
  return match;
}

/** The card (or other value) an Action.Execute invoke answered with. */
export function invokeValue<T = Card>(reply: { body: unknown }): T {
  return (reply.body as { value: T }).value;
}
