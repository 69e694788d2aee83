/**
 * The `augment` config value as a reader would say it. The host flattens the config's augment list to
 * compact JSON ('[{"name":"rotate","p":0.5,"params":{"degrees":30}}]'); the hyper-parameter table shows
 * it as "rotate p 0.5 degrees 30": each step's name, its probability and its parameters, the steps
 * comma-separated, "none" for an empty list. Anything that is not such a list is shown as it came.
 */

/** One step's parameters as "key value" pairs; a non-numeric value stays JSON. */
function paramsText(params: unknown): string[] {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return [];
  return Object.entries(params).map(([key, value]) => `${key} ${typeof value === 'number' ? value : JSON.stringify(value)}`);
}

export function augmentText(json: string): string {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return json;
  }
  if (!Array.isArray(list) || !list.every((a) => a !== null && typeof a === 'object' && typeof a.name === 'string')) return json;
  if (list.length === 0) return 'none';
  return list
    .map((step: { name: string; p?: unknown; params?: unknown }) =>
      [step.name, ...(typeof step.p === 'number' ? [`p ${step.p}`] : []), ...paramsText(step.params)].join(' '),
    )
    .join(', ');
}
