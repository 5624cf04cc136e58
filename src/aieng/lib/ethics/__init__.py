"""Responsible AI, measured: fairness metrics and bias mitigation, PII redaction, differential privacy and
DP-SGD, model cards, rule tables for the EU AI Act and the GDPR, and data-security basics."""
