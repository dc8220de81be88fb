/** A FHIR resource as a download (application/fhir+json). */
export function fhirResponse(resource: unknown, name: string): Response {
  return new Response(JSON.stringify(resource, null, 2) + '\n', {
    headers: { 'Content-Type': 'application/fhir+json', 'Content-Disposition': `attachment; filename="${name}.fhir.json"` },
  });
}
