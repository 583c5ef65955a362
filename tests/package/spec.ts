import fs from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import type { OpenAPIV3 } from 'openapi-types';
import { OPENAPI_FILE } from './openapi-file';

export const readSpec = () => JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')) as OpenAPIV3.Document;

/**
 * Checks a value against one of openapi.json's component schemas; answers the errors, none when
 * it conforms. (ajv understands OpenAPI 3.0's `nullable`; formats are not checked.)
 */
export const schemaValidator = async () => {
  const spec = (await SwaggerParser.dereference(readSpec())) as OpenAPIV3.Document;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const compiled = new Map<string, ReturnType<Ajv['compile']>>();
  return (name: string, value: unknown): string[] => {
    const schema = spec.components?.schemas?.[name];
    if (!schema) throw new Error(`openapi.json has no schema "${name}"`);
    const validate = compiled.get(name) ?? ajv.compile(schema as object);
    compiled.set(name, validate);
    return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
  };
};
