import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

/**
 * The serializers compiled so far, by what they are compiled from: the shared schemas and options
 * the factory was given, then the response schema.
 * -- why module-wide: Fastify calls the factory once per plugin context (25 of them), each with
 * the same shared schemas. Memoized per call, the app still compiled 453 serializers for 1,286
 * route-status pairs, 1.05 s of its 1.1–1.4 s start-up; fast-json-stringify also checks every shared
 * schema again on each compilation. A process that builds several apps (the tests) shares them too.
 */
const compiledByContext = new Map<string, Map<string, Serializer>>();

/**
 * Fastify's own serializer factory, compiling each distinct response schema once. Fastify compiles
 * one serializer per route and status, and every route declares the same problem for ten or so
 * statuses, so most compilations repeat one schema. A serializer depends on its schema, the shared
 * schemas it may reference and the options alone (the route, method and status only name it), so
 * equal ones share one.
 */
export const memoizingSerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  const contextKey = JSON.stringify([externalSchemas, options]);
  let compiled = compiledByContext.get(contextKey);
  if (compiled === undefined) {
    compiled = new Map();
    compiledByContext.set(contextKey, compiled);
  }
  return (route) => {
    const key = JSON.stringify(route.schema);
    let serializer = compiled.get(key);
    if (serializer === undefined) {
      serializer = compile(route);
      compiled.set(key, serializer);
    }
    return serializer;
  };
};
