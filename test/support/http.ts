/** The JSON body of a response, loosely typed: tests assert its shape themselves. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions inspect arbitrary JSON
export async function json(response: Response): Promise<any> {
  return response.json();
}
