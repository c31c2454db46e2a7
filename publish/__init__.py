"""Tools that turn this repository into a static site: vendoring and the site build."""
