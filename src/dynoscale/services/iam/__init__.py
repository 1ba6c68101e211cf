"""IAM: roles, inline and managed policies, service-linked roles (query protocol, global)."""
