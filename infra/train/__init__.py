"""Training of Heed's triage model (`python -m infra.train`, `make train`): the shipped weights from
data whose terms allow shipping them (../shared/data/permissive and the team's own corpus)."""
