import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri loads the built files from its own protocol, so asset paths must be relative.
export default defineConfig({
  plugins: [svelte()],
  base: "./",
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: "dist",
    // WebKitGTK on Debian 12 and WebView2 both handle ES2021; a newer target would risk blank windows.
    target: "es2021",
  },
});
