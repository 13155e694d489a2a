/**
 * Starts one Healix server for the whole run: a fresh database (SQLite in a temporary folder,
 * or `<TEST_DATABASE_URL's name>_e2e` on PostgreSQL), migrated and loaded with the demo data,
 * served by gunicorn on a free port together with the built app (web/dist).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = resolve(webDir, "..");
const bin = join(repoDir, ".venv", "bin");

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

function databaseUrl(tmp: string): string {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return `sqlite:///${join(tmp, "healix-e2e.db")}`;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/^\//, "")}_e2e`;
  return url.toString();
}

async function waitForHealth(baseUrl: string, server: { exitCode: number | null }): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the Healix server exited (${server.exitCode})`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error("the Healix server did not answer /api/health within 60 s");
}

export default async function globalSetup(): Promise<() => void> {
  const tmp = mkdtempSync(join(tmpdir(), "healix-e2e-"));
  const port = await freePort();
  const env = {
    ...process.env,
    HEALIX_ENV: "testing",
    INSTANCE_PATH: join(tmp, "instance"),
    DATABASE_URL: databaseUrl(tmp),
    RATELIMIT_ENABLED: "false",
    MAIL_BACKEND: "log",
    LOG_LEVEL: "WARNING",
    WEB_DIST_DIR: join(webDir, "dist"),
    APP_BASE_URL: `http://127.0.0.1:${port}`,
  };
  const run = (command: string, args: string[]) => {
    try {
      execFileSync(join(bin, command), args, { cwd: repoDir, env, stdio: "pipe" });
    } catch (error) {
      const failed = error as { stdout?: Buffer; stderr?: Buffer };
      console.error(
        `${command} ${args.join(" ")} failed:\n${failed.stdout?.toString() ?? ""}${failed.stderr?.toString() ?? ""}`,
      );
      throw error;
    }
  };
  run("python", [join(webDir, "e2e", "prepare_database.py"), env.DATABASE_URL]);
  run("flask", ["--app", "healix", "db", "upgrade"]);
  run("flask", ["--app", "healix", "seed-demo"]);

  const server = spawn(
    join(bin, "gunicorn"),
    ["--workers", "1", "--threads", "8", "--bind", `127.0.0.1:${port}`, "--log-level", "warning", "wsgi:app"],
    { cwd: repoDir, env, stdio: ["ignore", "inherit", "inherit"] },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, server);
  process.env.E2E_BASE_URL = baseUrl;
  console.log(`Healix test server at ${baseUrl} (${env.DATABASE_URL.split(":")[0]})`);

  return () => {
    server.kill("SIGTERM");
    rmSync(tmp, { recursive: true, force: true });
  };
}
