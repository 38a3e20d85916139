import type { Attributes } from '../../core/internal/attributes';
import type { Resource } from '../../core/export/exporter';

// https://docs.datadoghq.com/getting_started/tagging/#define-tags: "Tags can be up to 200 characters long".
const MAX_TAG_LENGTH = 200;

/**
 * A point's attributes as Datadog tags (`key:value`), plus unified service tagging from the
 * resource (`service`, `env`, `version`) unless an attribute already has that key. Datadog itself
 * lowercases tags and turns characters it does not allow into underscores; a tag longer than 200
 * characters is cut here so the rest of it is not lost.
 *
 * @example
 * datadogTags({ route: '/cart' }, { serviceName: 'shop', attributes: {}, sdk }); // → ['route:/cart', 'service:shop']
 */
export function datadogTags(attributes: Attributes, resource: Resource | undefined): string[] {
  const tags: string[] = [];
  for (const key in attributes) tags.push(tag(key, attributes[key]));
  if (resource) {
    if (resource.serviceName && !('service' in attributes)) tags.push(tag('service', resource.serviceName));
    if (resource.environment && !('env' in attributes)) tags.push(tag('env', resource.environment));
    if (resource.release && !('version' in attributes)) tags.push(tag('version', resource.release));
  }
  return tags;
}

function tag(key: string, value: unknown): string {
  const text = `${key}:${String(value)}`;
  return text.length > MAX_TAG_LENGTH ? text.slice(0, MAX_TAG_LENGTH) : text;
}
