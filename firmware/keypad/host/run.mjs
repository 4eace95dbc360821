// Run the keypad firmware in the MicroPython WebAssembly port under Node.
//   node run.mjs [--runtime-usb] SCRIPT.py
//                            run a test script (stdin if "-") with the firmware importable; exit 1 on error;
//                            --runtime-usb adds the stand-in for micropython-lib's usb.device (runtime_usb/)
//   node run.mjs --serve FD  keypad in real time: its USB serial on file descriptor FD (a pty master);
//                            control JSON lines on stdin ({"key": n, "level": 0|1} or {}), each answered
//                            with the lamps as a JSON line on stdout
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

const HOST = path.dirname(fileURLToPath(import.meta.url));
const FIRMWARE = path.dirname(HOST);
const ROOT = path.resolve(FIRMWARE, "..", "..");
const STEP_MS = 5;

function copyInto(mp, from, to) {
  mp.FS.writeFile(to, fs.readFileSync(from, "utf8"));
}

function copyTree(mp, from, to) {
  mp.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(mp, path.join(from, entry.name), to + "/" + entry.name);
    else if (entry.name.endsWith(".py")) copyInto(mp, path.join(from, entry.name), to + "/" + entry.name);
  }
}

async function boot(log, runtimeUsb = false) {
  const mp = await loadMicroPython({ stdout: log, stderr: (line) => process.stderr.write(line + "\n") });
  mp.FS.mkdirTree("/lib/protocol");
  mp.FS.mkdirTree("/vectors");
  for (const name of fs.readdirSync(FIRMWARE).filter((n) => n.endsWith(".py") && n !== "main.py" && n !== "manifest.py")) {
    copyInto(mp, path.join(FIRMWARE, name), "/lib/" + name);
  }
  for (const name of ["machine.py", "keypad_host.py"]) copyInto(mp, path.join(HOST, name), "/lib/" + name);
  mp.FS.writeFile("/lib/protocol/__init__.py", "");
  copyInto(mp, path.join(ROOT, "protocol", "serial.py"), "/lib/protocol/serial.py");
  copyInto(mp, path.join(ROOT, "protocol", "vectors", "serial.json"), "/vectors/serial.json");
  if (runtimeUsb) copyTree(mp, path.join(HOST, "runtime_usb"), "/lib");
  return mp;
}

async function runScript(file, runtimeUsb) {
  const mp = await boot((line) => process.stdout.write(line + "\n"), runtimeUsb);
  const code = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  try {
    mp.runPython(code);
  } catch (error) {
    process.stderr.write(String(error.message || error) + "\n");
    process.exit(1);
  }
}

async function serve(link) {
  const mp = await boot((line) => process.stderr.write(line + "\n"));
  const bridge = mp.pyimport("keypad_host").Bridge();
  let inbound = "";
  const buffer = Buffer.alloc(4096);
  const pump = () => {
    fs.read(link, buffer, 0, buffer.length, null, (error, count) => {
      if (error) {
        if (error.code === "EIO" || error.code === "EAGAIN") return setTimeout(pump, 20);
        process.stderr.write(`link closed: ${error.code}\n`);
        return process.exit(0);
      }
      if (count === 0) return process.exit(0);
      inbound += buffer.subarray(0, count).toString("hex");
      pump();
    });
  };
  pump();
  setInterval(() => {
    const out = bridge.step(inbound);
    inbound = "";
    if (out) {
      try {
        fs.writeSync(link, Buffer.from(out, "hex"));
      } catch (error) {
        process.stderr.write(`write failed: ${error.code}\n`);
      }
    }
  }, STEP_MS);
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    process.stdout.write(bridge.control(line) + "\n");
  }).on("close", () => process.exit(0));
}

const arg = process.argv[2];
if (arg === "--serve" && process.argv[3]) await serve(Number(process.argv[3]));
else if (arg === "--runtime-usb" && process.argv[3]) await runScript(process.argv[3], true);
else if (arg) await runScript(arg, false);
else {
  process.stderr.write("usage: node run.mjs [--runtime-usb] SCRIPT.py | --serve FD\n");
  process.exit(2);
}
