import { expect, test } from "@playwright/test";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

test("the Server page: start the API on a chosen port, make a key, see a client's requests live, revoke the key, stop", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(hearth.url);
  await page.getByRole("group", { name: "Pages" }).waitFor();
  await page.keyboard.press("Alt+5");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Server");
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const running = page.getByRole("region", { name: "How it runs" });
  // A port outside what the API takes is explained in words; Save waits.
  await running.getByRole("textbox", { name: "Port" }).fill("80");
  await expect(running.getByText(/from 1,024 to 65,535/)).toBeVisible();
  await expect(running.getByRole("button", { name: "Save" })).toBeDisabled();
  await running.getByRole("textbox", { name: "Port" }).fill(port);
  // Slots: replies served at once; none is not a choice.
  await running.getByRole("textbox", { name: "Parallel slots" }).fill("0");
  await expect(running.getByText(/from 1 to 32/)).toBeVisible();
  await expect(running.getByRole("button", { name: "Save" })).toBeDisabled();
  await running.getByRole("textbox", { name: "Parallel slots" }).fill("2");
  await running.getByRole("button", { name: "Save" }).click();
  await expect(running.getByRole("button", { name: "Save" })).toBeDisabled();

  const status = page.getByRole("region", { name: "Status" });
  await status.getByRole("button", { name: "Start" }).click();
  const base = `http://127.0.0.1:${port}/v1`;
  await expect(status.getByRole("status")).toContainText(`Running at ${base}`);
  await expect(status.getByTestId("server-load")).toHaveText("idle");
  await expect(status.getByTestId("server-model")).toHaveText("no model loaded: the first request loads its own");
  // The example is ready to paste, with this address.
  await expect(page.getByRole("region", { name: "Try it" })).toContainText(`curl ${base}/models`);

  // A key: shown whole once, then required.
  const keys = page.getByRole("region", { name: "API key" });
  await keys.getByRole("button", { name: "Create a key" }).click();
  const key = (await keys.getByTestId("new-api-key").locator("code").textContent())?.trim() ?? "";
  expect(key).toMatch(/^sk-hearth-/);
  expect((await fetch(`${base}/models`)).status).toBe(401);
  const models = (await (await fetch(`${base}/models`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { id: string }[] };
  const reply = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: models.data[0]!.id, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8 }),
  });
  expect(reply.status).toBe(200);

  // Each request shows as it ends, with its model and speed; the refused one too.
  const requests = page.getByRole("table", { name: "API requests" }).getByTestId("api-request");
  await expect(requests).toHaveCount(3);
  await expect(requests.first()).toContainText("POST /v1/chat/completions");
  await expect(requests.first()).toContainText("tok/s");
  // The model the request named is now the API's, and the page says so.
  await expect(status.getByTestId("server-model")).toHaveText(`${models.data[0]!.id} loaded`);
  await expect(requests.last()).toContainText("401");

  // After a reload the key is never shown again, only its last four characters.
  await page.reload();
  await page.getByRole("group", { name: "Pages" }).waitFor();
  await page.keyboard.press("Alt+5");
  await expect(keys.getByTestId("new-api-key")).toHaveCount(0);
  await expect(keys).toContainText(`…${key.slice(-4)}`);
  await keys.getByRole("button", { name: "Revoke" }).click();
  await expect(keys).toContainText("No key");
  expect((await fetch(`${base}/models`)).status).toBe(200);

  await status.getByRole("button", { name: "Stop" }).click();
  await expect(status.getByRole("status")).toHaveText("Stopped.");
  await expect(fetch(`${base}/models`)).rejects.toThrow();
});
