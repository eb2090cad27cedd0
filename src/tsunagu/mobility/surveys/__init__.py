"""移動のニーズ調査 (mobility needs surveys): surveys and answer sheets (services, selectors),
the spreadsheet import and export, and their pages (namespace "mobility_surveys")."""
