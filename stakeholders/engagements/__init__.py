"""Engagements with the LSGs (meetings, field visits, workshops, mentoring sessions), their
recommendations, and the LSGs' policy documents that plans are harmonised with."""
