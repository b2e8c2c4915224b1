// A real OpenID Connect provider for the console's tests: the certified `oidc-provider`
// package from npm, with its development sign-in pages (any login name, any password).
// Usage: node oidc_provider.mjs PORT REDIRECT_URI CLIENT_SECRET
// Prints "ready ISSUER" when it listens. An account's e-mail is LOGIN@example.gov.az.
import Provider from 'oidc-provider'

const [port, redirectUri, clientSecret] = process.argv.slice(2)
const issuer = `http://127.0.0.1:${port}`

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'workplan-console',
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true, methods: ['S256'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['workplan-tests-only'] },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: `${sub}@example.gov.az`,
          email_verified: true,
          name: `Test ${sub}`,
          preferred_username: sub,
        }
      },
    }
  },
})
provider.proxy = false
const server = provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
