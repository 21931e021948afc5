// Search for the words people type. Material's search worker adds a wildcard to every word of a
// query, so "a man on my son's phone" also matched "management" and "many". And a result's title
// link opened the top of its page even when the words were 20 screens down, in one section.
// Material 9.8 offers no setting for either, so this classic script, loaded before Material's
// bundle, wraps the one worker Material starts for search:
// - words the reader has finished (a space typed after them) are matched whole (and still
//   stemmed: "phones" finds "phone"); only the word being typed is matched as a beginning, and
//   only from four letters, so "NRM" and "man" are never read as "nrm..." or "man...";
// - when a page's own opening text has none of the words, its title link opens the section that
//   has them instead of the top of the page.
// Material's messages are {type, data}: a query is type 2, its results type 3 (Material's
// SearchMessageType). tests/test_search.py fails if either change ("man" must not find
// "management"; the chapter 9 result must open at its NRM section).
(() => {
  const QUERY = 2;
  const RESULT = 3;
  const TYPED_WHOLE = 3; // the word being typed: this many letters or fewer is matched whole
  const PLAIN_WORD = /^[\p{L}\p{N}'’]+$/u;

  // Each plain word gets lunr's neutral boost "^1": Material adds no wildcard to a boosted word.
  // Phrases, +required, -excluded and words with lunr's own marks are left as written.
  function wholeWords(query) {
    if (typeof query !== "string" || query.includes('"')) return query;
    const words = query.split(/\s+/);
    const typing = /\S$/.test(query) ? words.length - 1 : -1;
    return words
      .map((word, index) => {
        if (!PLAIN_WORD.test(word)) return word;
        if (index === typing && [...word].length > TYPED_WHOLE) return word;
        return `${word}^1`;
      })
      .join(" ");
  }

  const marked = (doc) => typeof doc.text === "string" && doc.text.includes("<mark");

  // One page's results: the page itself (no "#" in its location) and its sections, best first.
  function openWhereTheWordsAre(group) {
    const article = group.find((doc) => !doc.location.includes("#"));
    const section = group.find((doc) => doc.location.includes("#") && marked(doc));
    if (!article || !section || marked(article)) return group;
    return group.map((doc) => (doc === article ? { ...doc, location: section.location } : doc));
  }

  function withSections(data) {
    if (!data || !Array.isArray(data.items)) return data;
    return { ...data, items: data.items.map((group) => (Array.isArray(group) ? openWhereTheWordsAre(group) : group)) };
  }

  const Native = window.Worker;
  if (typeof Native !== "function") return;

  class SearchWorker extends Native {
    constructor(url, options) {
      super(url, options);
      this.search = /\/workers\/search\.[^/]*\.js/.test(String(url));
      this.listeners = new WeakMap();
    }

    postMessage(message, ...rest) {
      if (this.search && message && message.type === QUERY) {
        message = { ...message, data: wholeWords(message.data) };
      }
      return super.postMessage(message, ...rest);
    }

    addEventListener(type, listener, options) {
      if (!this.search || type !== "message" || typeof listener !== "function") {
        return super.addEventListener(type, listener, options);
      }
      const wrapped = (event) => {
        if (!event.data || event.data.type !== RESULT) return listener.call(this, event);
        const data = { ...event.data, data: withSections(event.data.data) };
        return listener.call(this, new MessageEvent("message", { data }));
      };
      this.listeners.set(listener, wrapped);
      return super.addEventListener(type, wrapped, options);
    }

    removeEventListener(type, listener, options) {
      const wrapped = (typeof listener === "function" && this.listeners.get(listener)) || listener;
      return super.removeEventListener(type, wrapped, options);
    }
  }

  window.Worker = SearchWorker;
})();
