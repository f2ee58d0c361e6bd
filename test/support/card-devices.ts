import { cardText } from './card-text';

type Node = Record<string, unknown>;

/** One device row of a result card as a responder reads it. */
export interface CardDevice {
  deviceId: string;
  /** True when the row shows a benign tag (it offers Untag instead of Tag benign). */
  tagged: boolean;
  /** Everything the row says. */
  text: string;
}

/** The device rows of a result card, keyed by device id: the outermost container whose actions name one device. */
export function cardDevices(card: unknown): Map<string, CardDevice> {
  const rows = new Map<string, CardDevice>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Node;
    const actions = executeActions(record);
    const devices = new Set(actions.map((a) => a.data.deviceId).filter((d): d is string => typeof d === 'string'));
    if (record.type === 'Container' && devices.size === 1) {
      const [deviceId] = devices;
      if (!rows.has(deviceId)) rows.set(deviceId, { deviceId, tagged: actions.some((a) => a.verb === 'hit.untag'), text: cardText(record) });
      return;
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  return rows;
}

/** Every Action.Execute under a node. */
export function executeActions(node: unknown): Array<{ verb: string; data: Node }> {
  const found: Array<{ verb: string; data: Node }> = [];
  const visit = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (n && typeof n === 'object') {
      const r = n as Node;
      if (r.type === 'Action.Execute' && typeof r.verb === 'string') found.push({ verb: r.verb, data: (r.data ?? {}) as Node });
      Object.values(r).forEach(visit);
    }
  };
  visit(node);
  return found;
}

/** The Action.Execute with this verb (and device, when given) on a card; throws when there is none. */
export function actionOn(card: unknown, verb: string, deviceId?: string): Node {
  const match = executeActions(card).find((a) => a.verb === verb && (deviceId === undefined || a.data.deviceId === deviceId));
  if (!match) throw new Error(`no ${verb} action${deviceId ? ` for ${deviceId}` : ''} on the card`);
  return match.data;
}
