// A tiny stand-in for Schema Registry: hands out stable ids for schema strings seen in produce requests.

export class SchemaIds {
  private readonly ids = new Map<string, number>()

  idFor(schema: string): number {
    const known = this.ids.get(schema)
    if (known !== undefined) return known
    const id = this.ids.size + 1
    this.ids.set(schema, id)
    return id
  }
}
