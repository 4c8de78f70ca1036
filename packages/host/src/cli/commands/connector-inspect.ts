import { attributeOperation } from '@ecmahost/sdk';
import { schemaAnswersOf } from '../../configure/build-config.js';
import { testAndDiscover } from '../../configure/connection-test.js';
import { checkSchemaAnswers } from '../../configure/schema-choices.js';
import { OpsError } from '../../store/errors.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { loadDefinition, withInstance } from '../../plugins/connector-loading.js';

/**
 * `ecmahost connector test <name>`: Microsoft's "test connection" with the saved configuration: the
 * connector's own test (which covers what its parameters will use), then schema discovery, whose
 * result must still hold the object type and attributes the configuration serves.
 */
export async function connectorTestCommand(ctx: CliContext, store: Store, name: string): Promise<void> {
  const config = await store.readConnector(name);
  const definition = await loadDefinition(config.package, store.paths.root);
  const issues = checkSchemaAnswers(await testAndDiscover(definition, config.parameters), schemaAnswersOf(config));
  if (issues.length > 0) throw new OpsError('connector-failed', `${definition.displayName} connected, but its schema no longer fits ${name}:\n${issues.map((i) => `  - ${i.message}`).join('\n')}`);
  say(ctx, `Connection test of ${name} (${definition.displayName} ${definition.version}) succeeded.`);
}

/** `ecmahost connector schema <name>`: what schema discovery finds, with the served choices marked. */
export async function connectorSchemaCommand(ctx: CliContext, store: Store, name: string): Promise<void> {
  const config = await store.readConnector(name);
  const definition = await loadDefinition(config.package, store.paths.root);
  const schema = await withInstance(definition, config.parameters, (instance) => instance.getSchema());
  const served = new Set(config.attributes.map((a) => a.name));
  for (const type of schema.objectTypes) {
    say(ctx, `${type.name}${type.name === config.objectType ? ' (served)' : ''}: anchor ${type.anchors.join('+') || '(none)'}`);
    for (const attr of type.attributes) {
      const marks = [
        attr.type + (attr.multiValued ? '[]' : ''),
        attributeOperation(attr),
        ...(attr.required ? ['required'] : []),
        ...(type.name === config.objectType && served.has(attr.name) ? ['selected'] : []),
        ...(type.name === config.objectType && config.anchor.includes(attr.name) ? ['anchor'] : []),
      ];
      say(ctx, `  ${attr.name}  ${marks.join(', ')}`);
    }
  }
}
