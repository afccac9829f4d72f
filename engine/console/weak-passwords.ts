/**
 * Among the most used passwords in public breach lists (lowercased), bundled so the check
 * needs no network. `password-policy.ts` also refuses these with digits or symbols around
 * them, in common letter-for-digit spellings, and run together.
 */
export const WEAK_PASSWORDS: readonly string[] = [
  '123456', '123456789', '12345678', '1234567890', '12345', '1234567', '123123', '111111', '000000', '654321',
  '123321', '666666', '121212', '112233', '987654321', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'zaq12wsx', 'qwe123',
  'password', 'passw0rd', 'password1', 'qwerty', 'qwertyuiop', 'qwerty123', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'qazwsx',
  'abc123', 'abcdef', 'abcd1234', 'iloveyou', 'admin', 'administrator', 'root', 'toor', 'letmein', 'welcome',
  'monkey', 'dragon', 'master', 'login', 'princess', 'sunshine', 'football', 'baseball', 'soccer', 'hockey',
  'superman', 'batman', 'starwars', 'shadow', 'michael', 'jennifer', 'jessica', 'charlie', 'daniel', 'thomas',
  'hunter', 'ranger', 'buster', 'killer', 'trustno', 'freedom', 'whatever', 'secret', 'access', 'flower',
  'summer', 'winter', 'spring', 'autumn', 'hello', 'computer', 'internet', 'changeme', 'default', 'guest',
  'test', 'testing', 'temp', 'temporary', 'mustang', 'pepper', 'ginger', 'cheese', 'cookie', 'chocolate',
  'liverpool', 'arsenal', 'chelsea', 'london', 'england', 'monday', 'friday', 'january', 'december', 'superuser',
  'nhs', 'hospital', 'nurse', 'doctor', 'social', 'council', 'staff', 'support', 'user', 'username',
];
