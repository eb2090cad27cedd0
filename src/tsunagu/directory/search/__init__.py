"""Search over organisations and resources: one box, filters, facet counts, ranking.

Where things are (import from these modules; names with a leading underscore are shared
within this package only):

- :mod:`.query`: :func:`~.query.search`, the one entry point, and its paths (one pass,
  the in-process columns, grouped SQL);
- :mod:`.filters`: :class:`~.filters.SearchFilters` and their SQL; :mod:`.scope`: who may
  find which entry; :mod:`.sql`: the SQL pieces (full-text conditions per database);
- :mod:`.facets`: facet counts; :mod:`.ranking`: scores and pages in SQL;
- :mod:`.results`: :class:`~.results.SearchResult` and its hits;
- :mod:`.cache`: the per-process cache and the index version;
- :mod:`.columns`: the in-process numpy columns for searches with many results;
- :mod:`.documents`: what an entry is made of (terms); :mod:`.index`: index writes,
  ``index_*`` after a directory write, bulk indexing and :func:`~.index.rebuild_index`.

How it works
------------
Every organisation and resource has one :class:`~tsunagu.directory.models.SearchEntry`
(a narrow row: name, scope, facet values) and, beside it, its pre-tokenised terms
(:func:`tsunagu.core.text.search_terms`: SudachiPy normalised forms, readings, synonyms,
kana/kanji uni- and bigrams), those of its name apart. The database only looks terms up,
never tokenises: SQLite through an FTS5 table, PostgreSQL through tsvectors with GIN
indexes (migration 0003). Neither FTS5's trigram tokenizer nor pg_trgm is used: both
miss one- and two-character Japanese queries.

A query is parsed with the same analysis (:func:`tsunagu.core.text.parse_query`) into
chunks that must all match (AND), each in any of its variants (OR).

Scope: ``permissions.visible_q`` — the condition the selectors
(``resource_list_visible_to``, ``organisation_list_visible_to``, ``public_resource_list``)
are built on — is applied to the entries, which carry copies of the record's and of its
provider's scope (tests/directory/test_search.py checks that search and the selectors
agree for every kind of user). Counting and ranking thousands of matches then reads only
the narrow entries (joining the records, with their descriptions, was 9x slower); the
page's records are loaded by id at the end.

Cost (bench/directory_search.py), per search not in the cache:
- A first pass reads at most SINGLE_PASS_UP_TO results (before the facet filters) with
  their facet values. When there are no more, Python counts the facets and ranks them
  (reading their names' terms): one pass in all, the common case with an area filter or
  a rarer word.
- Otherwise, outside a transaction, numpy counts and orders them over in-process columns
  of every entry (:mod:`.columns`, read per index version in a
  background thread): the database gives only the ids of the full-text matches, of the
  user's scope (kept per scope and version) and, on SQLite, of the entries with each
  query term in their name. A one-character query such as 見, matching a quarter of
  120,000 entries, then costs ~10 ms on SQLite and ~30 ms on PostgreSQL (which visits
  each match's heap row for its id) instead of 40-90 ms.
- Otherwise (inside a transaction, or while the columns are being read) one grouped
  pass over the full-text matches gives the total and every facet (SQLite joins the
  FTS5 matches to the entries). With a facet filter it also collects the ids it keeps,
  so that a few results are ranked from them without another pass; else the page is
  ranked in SQL over the matches that have a query term in their name, then the others
  follow in name order (a walk of the name index when they are many); how many are
  named is counted only when a later page needs it. These passes cost about 1 µs per
  full-text match on SQLite and 1-2 µs on PostgreSQL.
The counts and each page's ids are then kept per process for CACHE_SECONDS, keyed by
the search's SQL and the index version that every index write replaces (see
:mod:`.cache`): paging, refining the filters back and forth and the same query from
colleagues with the same scope cost only the loading of the page's records.

Ranking, the same on both databases: 1 + 4 per query chunk found in the name + 1 per
query term (variant) found in the name; then the name in code-point order, the kind and
the id. Results without the query in the name all score 1, so a page of them is a walk
of the name index, not a sort. Facet counts are "disjunctive": each facet counts with
every filter but its own, so that the other values stay visible once one is chosen.

Keeping the index current: the directory services call :func:`.index.index_record`
after every write of an organisation, resource or location, in the same transaction;
``services.resource_create_many`` indexes its rows in bulk (each distinct phrase analysed
once), and imports theirs with :func:`.index.index_new_resources` (on PostgreSQL one COPY
streams the entries while the text is analysed). Anything that writes records otherwise
must call :func:`.index.index_resources` / :func:`.index.index_organisations` or
:func:`.index.rebuild_index` (``manage.py rebuild_search_index``). Every index write also
replaces the cache version, so no cached search outlives an edit.
"""
