"""Facets for the pick lists: a disk cache, a two-source loader, and the catalog merge.

``cache`` keeps answers in small JSON files for a TTL and shares one fetch among
concurrent callers; ``loader`` fetches OpenTrain's marketplace facets and a recruiter's
Recruitsome vacancy facets through it; ``catalog`` merges what they said into the
``OptionCatalog`` the form's pick lists read.
"""
