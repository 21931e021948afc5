// "Copy address" buttons beside each feed address on the "Get updates" page.
//
// The addresses are links marked data-feed-address (macros/amendments.py, feed_list). Without
// JavaScript they stay plain links; with it, each gets a button that copies the address and
// says so in a polite live region. No inline script: the Content-Security-Policy forbids it.

const status = document.createElement("p");
status.className = "copy-feed__status";
status.setAttribute("role", "status");
document.querySelector("article")?.append(status);

for (const link of document.querySelectorAll("a[data-feed-address]")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button copy-feed__button";
  button.textContent = "Copy address";
  button.setAttribute("aria-label", `Copy address ${link.href}`);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.href);
      status.textContent = `Copied ${link.href}`;
    } catch {
      // No clipboard (older browser, or permission refused): select the address to copy by hand.
      window.getSelection().selectAllChildren(link);
      status.textContent = "Address selected: copy it with your device's copy command.";
    }
  });
  link.after(" ", button);
}
