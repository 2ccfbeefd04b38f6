// The key that forged notifications and badly signed answers are signed with. It is fixed rather than
// generated at start, so that the same seed gives the same journal in every process: a key drawn from
// the operating system's randomness would make every forged signature differ from run to run. Being
// public is its purpose: no merchant trusts it, so nothing it signs may ever verify.

/** PKCS#1 PEM of a 2048-bit RSA key, generated once with node:crypto for this file. */
export const forgeryPrivateKeyPem = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAoioJ0FkPZEXcZ6HXCxc3h+qs8p7g0Yi5+c6evtNM0Rz1ITrO',
  'CswZFzG/I2wl+FfBLLX7YKorf76H7+Ag7YzzDpHC8y9ksjp2mgUYnmzhODgi4syV',
  'Acy9dGwFuZ+aFcR3qpf2iaEJmF0yo/aZi3bZZ1ivKQk6ICgPV+J1EtqQV7P1Tb5z',
  'Ase1tmq5kzBQyfIsrdWwWWYZTeHjS5m4ew3/VjYK+Ygf1AtA/IQ23DBAwDXiDjV4',
  'gIs71ukSBxz/V5sdrd03DDkYceasN2SeTeY8JpK8xZ47Yvs/uv9/EhmmdD0WtnoW',
  'cg6NkZlydfwlmQTdVzKFbcwXfo9hcB7RxqCHrQIDAQABAoIBAAnIUm48qSaJ5llk',
  'FHZpUKLE3+kE95f8UQfGVKI7WfN1dT4rb3mMRWk2SYsH/6RjGtapJcB3k4cxxb6N',
  'PT9HVPRIi8Oi1MbBqxzweMM52z5KeKRI5iZFJRqsV44SmDd+8h8a6rbzvYHxAViN',
  'zEZzBXtsCKkHkveUoxRQp3JbOADqVBIh9AuC0MCBaQ8VTWDhejrudbfIpB/czkoc',
  '+tlTdhgtzw2MGLYGG20UjEOuq6yUVoWt16wr3IaUmfCk4Pbu0UT1Z9sMh18we5aD',
  '7ac9VraWDLYOv6YXGQdEuEumH++eMYjAGO8WPDOIvM96hMBsWRs3zZJAJtsYQjv4',
  'hGlDXmsCgYEA3gGcMDOvu2VkGvTvljlXnf0MPJNd3nugyzK/vEvk9qee6eFQiG1x',
  'TbiHNO1wnkSeORbvTh0MXEYjXVlQKDPH35Zk6WodgXzfgSg0qibKcVtJtTA7yyIk',
  'rk0ANd4R8ZrvEUX4s+8BpqMRSSjFWVTxabiK/qBAQLLY+RiKKZuzQ88CgYEAuv6w',
  'H2yEQn67FNMh6LB4rzwXFMP4HL5Qn/xoWLIzI/dYqQUa/IEhH/cYmi8NYTIhMDNw',
  'KtdNvt5/7vDEKA+KDxA0z39wrg9Lbpi4mn3gtVVafl2R/GvJH8wZaNfsqqq9OWg9',
  'rIMrQKEXb9XzV8/WnVD0/AjH01kPdCUGXtEpT8MCgYBBCje352yUeh/ZxehrGmGQ',
  '55GuLX5Sr+VronKJt7JckL79xgTR8z4+htEVsHpN48x27UEuoVP9tI6nyoKxRHpK',
  'BsWJnI0IYo0YSa8kKjkk/Jmbe4YI/PfCGMz2+xhGsB1Z8iXqkRrqtttZk5g9k6Um',
  'U+pkro4kZkEquQXBKtxaAQKBgBKOxBvaQSX4PcjLS0o0eUWqyP+ekzkHCilWe2SS',
  'CtE+8uWTRCJbDlaFx0NF+CX1O6X09OTLiUOwATJNYqo3IJRuH0+Ybi5YBjxrm6Z5',
  'Z5uXZOu1jY9ngwZM0xi8lRg66ZyQ484DFn/LfO/0Y7oLPllOd4GrvWkUJZx5MDCo',
  'wVjRAoGBAM4aaLLA5wL5L7NSbwA1XVBWt7XI+1Jqcnhuf+nnjZafqE6bjIEwG/YP',
  'nrJJzJ9cPm2oUcpPllzluJwaQ3Ya0P88eDULhexdHQ5t3IBYI9tUv8L1rrR9k6kn',
  'tJH4+YpSEq2RA6XorHYwM4eiZhItz+KOdGqnqJ/y0YWzfKAoBKwB',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
