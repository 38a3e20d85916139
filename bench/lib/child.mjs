/** Runs a bench script in its own Node process (a clean heap, its own flags) and parses the JSON it prints. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function runChild(script, args = [], nodeFlags = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout));
      } catch {
        resolve({ error: `exit ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' ')}` });
      }
    });
  });
}
